; One of every instruction, for the CLI round-trip test and the fuzz corpus.
gemm x=0 w=0 y=0x100 m=5 k=3 n=7 acc=1
vadd a=0 b=16 c=32 len=64
vaxpy x=0 y=64 s=128 len=64
vmul a=0 b=16 c=200 len=16
vexp a=0 c=300 len=16
vmax a=0 b=16 c=400 len=16
vrecip a=0 c=500 len=16
vrsqrt a=0 c=600 len=16
vgelu a=0 c=700 len=16
vgelud a=0 c=800 len=16
vtrans a=0 c=900 m=4 n=8
send row=0 col=1 src=act:0 dst=wgt:0x40 len=16 chan=ring
send row=1 col=0 src=wgt:8 dst=act:0x40 len=4 chan=mesh async=1
wait words=16
wait msgs=2 chan=col
fence
drd dram=0x1000 dst=act:0 len=64
drd dram=0x2000 dst=wgt:0 len=8 async=1
dwr src=wgt:0 dram=0xff001000 len=64
dwr src=act:4 dram=0x10 len=2 async=1
halt
