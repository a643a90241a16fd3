; Benchmark program (make bench): long GEMMs on configs/default.json.
gemm x=0 w=0 y=0x800 m=32 k=64 n=32 acc=0
gemm x=0 w=0x800 y=0x800 m=32 k=64 n=32 acc=1
halt
