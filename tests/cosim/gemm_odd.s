; Shapes that are not multiples of the array: tail tiles in M and N.
gemm x=0 w=0 y=0x400 m=7 k=5 n=9 acc=0
gemm x=0x40 w=0x80 y=0x500 m=3 k=11 n=13 acc=1
halt
