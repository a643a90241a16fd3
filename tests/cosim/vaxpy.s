; VAXPY y = s x + y: lengths below, at and above the array width; Y identical
; to X; s inside Y, which VAXPY reads once, before it writes any of Y.
vaxpy x=0 y=0x100 s=0x500 len=1
vaxpy x=0x10 y=0x110 s=0x501 len=8
vaxpy x=0x20 y=0x120 s=0x502 len=13
vaxpy x=0x300 y=0x400 s=0x503 len=100
vaxpy x=0x300 y=0x300 s=0x504 len=37
vaxpy x=0x600 y=0x700 s=0x705 len=20
halt
