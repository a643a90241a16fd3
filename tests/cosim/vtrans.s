; VTRANS c = a transposed (A m x n, C n x m, row-major): one tile, a tile
; with partial rows and columns, several tiles along m and n with edges,
; a single row and a single column; then a GEMM, whose accumulator init
; and store must find the tile walk as VTRANS left it.
vtrans a=0x0 c=0x100 m=3 n=5
vtrans a=0x200 c=0x300 m=8 n=4
vtrans a=0x400 c=0x600 m=19 n=11
vtrans a=0x800 c=0x900 m=1 n=13
vtrans a=0xa00 c=0xb00 m=13 n=1
gemm x=0xc00 w=0x0 y=0xd00 m=5 k=3 n=7 acc=1
halt
