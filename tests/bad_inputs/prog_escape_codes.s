; a mnemonic with terminal escapes: the message must not pass them on
]0;pwned[2Jgemm x=0
halt
