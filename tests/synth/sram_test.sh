#!/usr/bin/env bash
# The SRAM macro area model (flows/sram_area.awk) and what the synthesis report
# makes of it. Run by make test-synth.
#   tests/synth/sram_test.sh REPORT_JSON CONFIG_RESOLVED_JSON
# 1. The model against areas worked by hand below, from the constants of
#    docs/synthesis.md (not from the awk script): five banks, each within
#    0.5 GE; then its calibration point (a 1,024 x 32 single-port bank is 70 %
#    cell array), a second port costing between 1.5x and 2.5x, a third
#    costing more again, banking the
#    same bits costing periphery, area per bit falling with size.
# 2. The report: the macros it lists are the banks the config asks for, counted
#    from the config (buffer bytes and banks, instruction words; the 128-bit
#    instruction is 4 banks of 32 bits), with the model's area each, summing
#    to the die's SRAM area.
set -euo pipefail
report=$1
config=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
model="$here/flows/sram_area.awk"
fail=0
with_model() { local prog=$1; shift; awk -f "$model" -f <(printf '%s\n' "$prog") "$@"; }
check() { # DESCRIPTION AWK_CONDITION: the condition over the model, true or FAILED
  if with_model "BEGIN { exit !($2) }" < /dev/null; then
    echo "ok sram model: $1"
  else
    echo "FAILED sram model: $1"; fail=1
  fi
}
one() { echo "sram_macro_ge($1, $2, $3)"; }
# Worked by hand. A cell is 0.127 um^2 / 0.49 um^2 per GE = 0.2591837 GE (6T,
# one port), twice that with two ports, three times with three; per port, 6 GE a row, 12 GE a column
# and 600 GE of control. The array is folded to the column mux m in 1..16
# whose (depth / m) / (width x m) is closest to 1, the smaller m on a tie.
#  - 256 x 32, 1 port (the default die's instruction banks): 8 / m^2 is 8, 2,
#    0.5 for m = 1, 2, 4; m = 2 (a tie with 4): 128 rows, 64 columns.
#    8,192 x 0.2591837 = 2,123.233; + 128 x 6 + 64 x 12 + 600 = 2,136: 4,259.233.
#  - 1,024 x 32, 1 port: 32 / m^2 is 2 for m = 4 and 0.5 for m = 8; m = 4:
#    256 rows, 128 columns. 32,768 x 0.2591837 = 8,492.931; + 1,536 + 1,536 +
#    600 = 3,672: 12,164.931.
#  - 1,024 x 32, 2 ports: the same fold;
#    32,768 x 0.5183673 = 16,985.861; + 2 x 3,672 = 7,344: 24,329.861.
#  - 1,024 x 32, 3 ports (the default die's buffer banks): the same fold;
#    32,768 x 0.7775510 = 25,478.792; + 3 x 3,672 = 11,016: 36,494.792.
#  - 65,536 x 32, 3 ports (the Hecaton die's buffer banks): 2,048 / m^2 is 8
#    at m = 16, the largest: 4,096 rows, 512 columns. 2,097,152 x 0.7775510 =
#    1,630,642.678; + 3 x (24,576 + 6,144 + 600) = 93,960: 1,724,602.678.
hand() { # DEPTH WIDTH PORTS GE
  check "$1 x $2, $3 port(s) is $4 GE, as worked by hand" \
    "$(one "$1" "$2" "$3") > $4 - 0.5 && $(one "$1" "$2" "$3") < $4 + 0.5"
}
hand 256 32 1 4259.233
hand 1024 32 1 12164.931
hand 1024 32 2 24329.861
hand 1024 32 3 36494.792
hand 65536 32 3 1724602.678
check "1024 x 32, 1RW is 69-71 % cell array" \
  "1024 * 32 * sram_cell_ge(1) / $(one 1024 32 1) > 0.69 && 1024 * 32 * sram_cell_ge(1) / $(one 1024 32 1) < 0.71"
check "1024 x 32: 1RW+1W costs 1.5x to 2.5x 1RW" \
  "$(one 1024 32 2) > 1.5 * $(one 1024 32 1) && $(one 1024 32 2) < 2.5 * $(one 1024 32 1)"
check "1024 x 32: 1RW+1R+1W costs more than 1RW+1W" "$(one 1024 32 3) > $(one 1024 32 2)"
check "4 banks of 1024 x 32 cost more than one 4096 x 32" "4 * $(one 1024 32 3) > $(one 4096 32 3)"
check "area per bit falls with size (256, 1024, 4096 words)" \
  "$(one 256 32 1) / 256 > $(one 1024 32 1) / 1024 && $(one 1024 32 1) / 1024 > $(one 4096 32 1) / 4096"
check "area grows with words and with width" \
  "$(one 2048 32 1) > $(one 1024 32 1) && $(one 1024 64 1) > $(one 1024 32 1)"

# The config's banks, from its resolved JSON (one key a line, as tessera writes it).
cfg() { awk -v sec="\"$1\":" -v key="\"$2\":" '$1 == sec { in_sec = 1 } in_sec && $1 == key { gsub(/[,]/, "", $2); print $2; exit }' "$config"; }
wb=$(cfg weight_buffer bytes); wn=$(cfg weight_buffer banks)
ab=$(cfg act_buffer bytes); an=$(cfg act_buffer banks)
iw=$(awk '$1 == "\"imem_words\":" { gsub(/,/, "", $2); print $2; exit }' "$config")
want=$({
  echo "$wn $((wb / 4 / wn)) 32 1RW+1R+1W"
  echo "$an $((ab / 4 / an)) 32 1RW+1R+1W"
  echo "4 $iw 32 1RW"
} | awk '{ n[$2 " " $3 " " $4] += $1 } END { for (k in n) print n[k], k }' | sort)
got=$(sed -n 's/.*"count": \([0-9]*\), "words": \([0-9]*\), "width": \([0-9]*\), "ports": "\([^"]*\)".*/\1 \2 \3 \4/p' "$report" | sort)
if [ "$got" = "$want" ]; then
  echo "ok sram report: the macros are the config's banks ($(echo "$got" | tr '\n' ';' | sed 's/;$//; s/;/; /g'))"
else
  echo "FAILED sram report: macros"; echo "report:"; echo "$got"; echo "config:"; echo "$want"; fail=1
fi
bits=$(( (wb + ab) * 8 + iw * 128 ))
if sed -n 's/.*"die":.*"sram_bits": \([0-9]*\),.*/\1/p' "$report" | grep -qx "$bits"; then
  echo "ok sram report: $bits bits, as the config's buffers and instruction memory"
else
  echo "FAILED sram report: sram_bits is not $bits"; fail=1
fi
# Each macro's area is the model's, and they sum to the die's SRAM area.
sed -n 's/.*"count": \([0-9]*\), "words": \([0-9]*\), "width": \([0-9]*\), "ports": "\([^"]*\)", "kge_each": \([0-9.]*\).*/\1 \2 \3 \4 \5/p;
        s/.*"die":.*"sram_kge": \([0-9.]*\),.*/die \1/p' "$report" \
  | with_model '
      $1 == "die" { die = $2; next }
      { p = split($4, port, "+"); ge = sram_macro_ge($2, $3, p)
        if ($5 * 1000 - ge > 1 || ge - $5 * 1000 > 1) { print "FAILED sram report: " $0 " is not the model (" ge " GE)"; bad = 1 }
        sum += $1 * $5 }
      END { if (sum - die > 0.01 || die - sum > 0.01) { print "FAILED sram report: macros sum to " sum ", die says " die; bad = 1 }
            if (!bad) printf "ok sram report: each macro as the model, %.3f kGE in all\n", die
            exit bad }' || fail=1
exit $fail
