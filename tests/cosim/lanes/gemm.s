; GEMMs on a die whose units read their own banks (die.local_lanes): Y and W
; start at multiples of the ports' words, rows pitched at N = 8, 16, 24 or 40;
; X anywhere (the controller rotates it). Several tiles in m and n, partial
; tile rows and passes, K = 1, a single row whose N needs no alignment,
; columns of one word per row anywhere (the row sums of the softmax and
; LayerNorm), and short tiles whose next tile's operands load early.
gemm x=0 w=0 y=0x800 m=16 k=33 n=24 acc=0
gemm x=0x305 w=0x400 y=0x800 m=19 k=7 n=24 acc=1
gemm x=0x3 w=0x10 y=0x100 m=5 k=1 n=16 acc=1
gemm x=0x21 w=0x20 y=0x200 m=1 k=1 n=5 acc=0
gemm x=0x40 w=0x100 y=0x300 m=2 k=3 n=40 acc=0
gemm x=0x50 w=0x33 y=0x403 m=13 k=6 n=1 acc=1
gemm x=0x60 w=0x37 y=0x423 m=3 k=1 n=1 acc=0
gemm x=0x100 w=0x200 y=0xa00 m=70 k=20 n=8 acc=1
halt
