; make test-large: one GEMM large enough to reach the os stream's steady state on
; configs/large-os.json (4 PEs x 8 x 8 = 256 units; tiles of 4 slots x 4 rows by
; 64 columns): 96 x 256 x 128 = 3,145,728 FMAs, X and Y in the activation
; buffer (24,576 + 12,288 words), W filling the weight buffer (32,768 words).
gemm x=0 w=0 y=0x6000 m=96 k=256 n=128 acc=0
halt
