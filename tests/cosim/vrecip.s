; VRECIP c = 1/a, the microprogram of arch/vfn.h (its first fire also sets R0
; and R1 from a's encoding): lengths below, at and above the array width; C
; identical to A; then a VEXP and a GEMM, which must find the units' registers
; as if no VRECIP had run.
vrecip a=0 c=0x200 len=1
vrecip a=0x10 c=0x210 len=8
vrecip a=0x20 c=0x220 len=13
vrecip a=0x300 c=0x300 len=100
vexp a=0x500 c=0x600 len=29
gemm x=0x700 w=0x0 y=0x800 m=5 k=3 n=7 acc=1
halt
