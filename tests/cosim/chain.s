; Results feeding later instructions: GEMM output reused as the next X and
; as a VADD operand (what a reduce-scatter step does on one die). A FENCE
; with nothing in flight takes its 4 cycles.
gemm x=0 w=0 y=0x200 m=6 k=6 n=6 acc=0
gemm x=0x200 w=0x100 y=0x300 m=6 k=6 n=6 acc=0
fence
vadd a=0x200 b=0x300 c=0x400 len=36
gemm x=0x400 w=0x200 y=0x300 m=6 k=6 n=6 acc=1
halt
