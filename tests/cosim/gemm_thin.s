; Degenerate aspect ratios: one row, one column.
gemm x=0 w=0 y=0x600 m=1 k=64 n=37 acc=0
gemm x=0x100 w=0x900 y=0x700 m=37 k=2 n=1 acc=1
halt
