; Y runs past the activation buffer of configs/default.json (4096 words)
gemm x=0 w=0 y=0x1000 m=12 k=20 n=10 acc=0
halt
