; Short tiles: the loader takes the next tile's first weights from the start of
; a tile's last pass, through its store and the next tile's init (ws); on a die
; with a long prologue (tests/cosim/ws-narrow.json) the next stream waits for
; what is left of it. Along n, down m into a partial tile row, partial passes.
gemm x=0 w=0 y=0x10 m=2 k=3 n=40 acc=0
gemm x=0x100 w=0x100 y=0x800 m=70 k=20 n=20 acc=1
gemm x=0x700 w=0x300 y=0xe00 m=9 k=1 n=17 acc=1
halt
