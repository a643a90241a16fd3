#!/usr/bin/env bash
# Registers without a reset against an allow-list (docs/synthesis.md).
#   flows/reset_check.sh LIST ALLOW
# LIST: Yosys `select -list` of the registers that flip-flops without an
# asynchronous reset drive (NORESET_SEL in flows/synth_lib.sh), one
# "module/register" a line. ALLOW: "module register  why" lines, # comments.
# Fails, naming each one, on a register that ALLOW does not list: a control
# flop whose reset the RTL lost.
set -euo pipefail
list=$1
allow=$2
awk '
  NR == FNR { if ($1 !~ /^#/ && NF >= 2) ok[$1 " " $2] = 1; next }
  {
    i = index($0, "/"); mod = substr($0, 1, i - 1); reg = substr($0, i + 1)
    sub(/^\$paramod\$[0-9a-f]*\\/, "", mod); sub(/^\$paramod\\/, "", mod)
    sub(/^\\/, "", mod); sub(/\\.*/, "", mod); sub(/^\\/, "", reg); sub(/\[[0-9]+\]$/, "", reg)
    n++
    if (!((mod " " reg) in ok)) { printf "no reset: %s.%s is not in %s\n", mod, reg, FILENAME_ALLOW; bad++ }
  }
  END {
    if (bad) { printf "%d of %d registers without reset are not allowed\n", bad, n; exit 1 }
    printf "ok %d registers without reset, all in the allow-list\n", n
  }' FILENAME_ALLOW="$allow" "$allow" "$list"
