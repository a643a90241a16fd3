; The demo program for configs/default.json (8 FMA units, 4096 + 4096 words):
; a 12x20 by 20x10 GEMM, a second product accumulated onto it, then a VADD.
gemm x=0 w=0 y=0x800 m=12 k=20 n=10 acc=0
gemm x=0x100 w=0x200 y=0x800 m=12 k=20 n=10 acc=1
vadd a=0x800 b=0x900 c=0xA00 len=120
halt
