; VGELU c = gelu(a) and VGELUD c = gelu'(a), the microprograms of arch/vfn.h
; (exp's steps on R3 = -|z|, a reciprocal of 1 + e^-|z| from a linear seed,
; the sigmoid picked by a's sign; beyond |a| = 12.5 a alone decides): lengths
; below, at and above the array width; C identical to A; then a VRECIP (whose
; seed loads R0 and R1) and a GEMM, which must find the units' registers as if
; no VGELU had run.
vgelu a=0 c=0x200 len=1
vgelu a=0x10 c=0x210 len=8
vgelud a=0x20 c=0x220 len=13
vgelu a=0x300 c=0x300 len=100
vgelud a=0x400 c=0x400 len=77
vrecip a=0x500 c=0x600 len=29
gemm x=0x700 w=0x0 y=0x800 m=5 k=3 n=7 acc=1
halt
