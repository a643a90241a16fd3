; Several full tiles in every dimension plus tails, accumulate on and off.
gemm x=0 w=0 y=0x800 m=16 k=33 n=24 acc=0
gemm x=0x300 w=0x400 y=0x800 m=16 k=7 n=24 acc=1
halt
