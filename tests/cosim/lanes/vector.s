; The element-wise instructions and VTRANS on a die whose units read their own
; banks (die.local_lanes): every operand at a multiple of the act port's 8
; words (VAXPY's s anywhere, and operands of one word), lengths below, at and
; above the 16 units, C identical to A; VTRANS with rows pitched at multiples
; of 8, over several tiles along m and n, one tile, three tiles along m, and a
; column; then a GEMM, which must find the units' registers as if nothing else
; had run.
vadd a=0 b=0x40 c=0x80 len=37
vmul a=0x100 b=0x100 c=0x100 len=16
vmax a=0x140 b=0x180 c=0x1c0 len=9
vaxpy x=0x200 y=0x280 s=0x2f3 len=53
vexp a=0x300 c=0x300 len=100
vrecip a=0x400 c=0x480 len=29
vrsqrt a=0x500 c=0x580 len=3
vgelu a=0x600 c=0x600 len=77
vgelud a=0x680 c=0x700 len=13
vadd a=0x783 b=0x791 c=0x7a5 len=1
vtrans a=0x800 c=0x980 m=16 n=24
vtrans a=0xb00 c=0xb80 m=8 n=8
vtrans a=0xc00 c=0xd00 m=24 n=8
vtrans a=0xd83 c=0xdc0 m=8 n=1
gemm x=0xe00 w=0x0 y=0xf00 m=5 k=3 n=8 acc=1
halt
