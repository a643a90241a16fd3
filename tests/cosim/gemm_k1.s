; K = 1: a single fmaf per output, fresh and accumulated.
gemm x=0 w=0 y=0x100 m=3 k=1 n=5 acc=0
gemm x=0x10 w=0x10 y=0x200 m=5 k=1 n=3 acc=1
gemm x=0x20 w=0x20 y=0x300 m=1 k=1 n=1 acc=0
halt
