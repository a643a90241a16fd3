; VRSQRT c = 1/sqrt(a), the microprogram of arch/vfn.h (R0, R1 and the
; exponent's k set as a loads; R3 is accumulator 1): lengths below, at and
; above the array width (negative inputs give the canonical NaN); C identical
; to A; then a VRECIP and a GEMM, which must find the units' registers as if
; no VRSQRT had run.
vrsqrt a=0 c=0x200 len=1
vrsqrt a=0x10 c=0x210 len=8
vrsqrt a=0x20 c=0x220 len=13
vrsqrt a=0x300 c=0x300 len=100
vrecip a=0x500 c=0x600 len=29
gemm x=0x700 w=0x0 y=0x800 m=5 k=3 n=7 acc=1
halt
