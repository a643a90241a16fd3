; Softmax of a 16-word row at 0x0 from the die's instructions alone (the
; sequence tests/unit/test_golden.c holds to tsr_vsoftmax bit for bit, there
; with constant vectors; here the harness's random words stand in for them):
; copy (VMUL by the "ones" at 0x220), row maximum by VMAX halves, x - m (VAXPY
; of the "-1" vector at 0x200 scaled by m), VEXP, the row sum (GEMM by the
; weight column at 0), VRECIP, a = e r + y (VAXPY into 0x240).
vmul a=0x0 b=0x220 c=0x100 len=16
vmax a=0x100 b=0x108 c=0x100 len=8
vmax a=0x100 b=0x104 c=0x100 len=4
vmax a=0x100 b=0x102 c=0x100 len=2
vmax a=0x100 b=0x101 c=0x100 len=1
vaxpy x=0x200 y=0x0 s=0x100 len=16
vexp a=0x0 c=0x0 len=16
gemm x=0x0 w=0x0 y=0x260 m=1 k=16 n=1
vrecip a=0x260 c=0x261 len=1
vaxpy x=0x0 y=0x240 s=0x261 len=16
halt
