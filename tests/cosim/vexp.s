; VEXP c = e^a, the microprogram of arch/vfn.h on every unit: lengths below,
; at and above the array width; C identical to A; then a GEMM and a VADD,
; which must find their operand registers as if no VEXP had run.
vexp a=0 c=0x200 len=1
vexp a=0x10 c=0x210 len=8
vexp a=0x20 c=0x220 len=13
vexp a=0x300 c=0x300 len=100
vexp a=0x500 c=0x600 len=29
gemm x=0x700 w=0x0 y=0x800 m=5 k=3 n=7 acc=1
vadd a=0x900 b=0x940 c=0x980 len=9
halt
