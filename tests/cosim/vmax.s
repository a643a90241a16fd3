; VMAX c = max(a, b) (NaN wins, +0 above -0): lengths below, at and above the
; array width; C identical to A, and to B; A and B one range; then a VADD,
; whose FMA path VMAX leaves as it was.
vmax a=0 b=0x100 c=0x200 len=1
vmax a=0x10 b=0x110 c=0x210 len=8
vmax a=0x20 b=0x120 c=0x220 len=13
vmax a=0x300 b=0x400 c=0x300 len=100
vmax a=0x500 b=0x600 c=0x600 len=29
vmax a=0x700 b=0x700 c=0x780 len=40
vadd a=0x900 b=0x940 c=0x980 len=9
halt
