; VMUL c = a b: lengths below, at and above the array width; C aliasing A
; exactly, and B exactly; A and B one range (squares).
vmul a=0 b=0x100 c=0x200 len=1
vmul a=0x10 b=0x110 c=0x210 len=8
vmul a=0x20 b=0x120 c=0x220 len=13
vmul a=0x300 b=0x400 c=0x300 len=100
vmul a=0x500 b=0x600 c=0x600 len=29
vmul a=0x700 b=0x700 c=0x780 len=40
halt
