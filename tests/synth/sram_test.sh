#!/usr/bin/env bash
# The SRAM macro area model (flows/sram_area.awk) and what the synthesis report
# makes of it. Run by make test-synth.
#   tests/synth/sram_test.sh REPORT_JSON CONFIG_RESOLVED_JSON
# 1. The model: its calibration point (a 1,024 x 32 single-port bank is 70 %
#    cell array), a second port costing between 1.5x and 2.5x, banking the
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
check "1024 x 32, 1RW is 69-71 % cell array" \
  "1024 * 32 * sram_cell_ge(1) / $(one 1024 32 1) > 0.69 && 1024 * 32 * sram_cell_ge(1) / $(one 1024 32 1) < 0.71"
check "1024 x 32: 1RW+1W costs 1.5x to 2.5x 1RW" \
  "$(one 1024 32 2) > 1.5 * $(one 1024 32 1) && $(one 1024 32 2) < 2.5 * $(one 1024 32 1)"
check "4 banks of 1024 x 32 cost more than one 4096 x 32" "4 * $(one 1024 32 2) > $(one 4096 32 2)"
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
  echo "$wn $((wb / 4 / wn)) 32 1RW+1W"
  echo "$an $((ab / 4 / an)) 32 1RW+1W"
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
      { p = $4 == "1RW" ? 1 : 2; ge = sram_macro_ge($2, $3, p)
        if ($5 * 1000 - ge > 1 || ge - $5 * 1000 > 1) { print "FAILED sram report: " $0 " is not the model (" ge " GE)"; bad = 1 }
        sum += $1 * $5 }
      END { if (sum - die > 0.01 || die - sum > 0.01) { print "FAILED sram report: macros sum to " sum ", die says " die; bad = 1 }
            if (!bad) printf "ok sram report: each macro as the model, %.3f kGE in all\n", die
            exit bad }' || fail=1
exit $fail
