# flows/synth_report.awk: the table and report.json of flows/synth.sh, from
# the files of the die's Yosys run (flows/yosys/die_check.ys, die_report.ys)
# and the blocks synthesized alone. Needs flows/sram_area.awk:
#   awk -f sram_area.awk -f synth_report.awk -v out=... -v top=... \
#       -v per_pe=... -v units=... params.txt banks.txt generic.txt ltp.txt mapped.txt blocks.txt
function base(m) {
  sub(/^\$paramod\$[0-9a-f]*\\/, "", m); sub(/^\$paramod\\/, "", m); sub(/^\\/, "", m)
  sub(/\\.*/, "", m); return m
}
function name(m) { sub(/^\\/, "", m); return m }
function row(b, n, c, f, k, sk, d, what) {
  nrow++; rb[nrow] = b; rn[nrow] = n; rc[nrow] = c; rf[nrow] = f; rk[nrow] = k
  rs[nrow] = sk; rd[nrow] = d; rw[nrow] = what
}
# Parameters of every module (after hierarchy), to tell parameterizations apart.
FILENAME ~ /params.txt$/ && /^module / { pm = name($2); next }
FILENAME ~ /params.txt$/ && /^  parameter / {
  v = $3; sub(/^\\/, "", $2); prm[pm] = prm[pm] " " $2 "=" v; pv[pm, $2] = v; next
}
# The SRAM banks each module instantiates: depth, width, and its ports: three,
# less the second (write) and third (read) when they are tied off.
FILENAME ~ /banks.txt$/ && /^module / { bm = name($2); next }
FILENAME ~ /banks.txt$/ && /^  cell / { bd = 0; bw = 0; bp = 3; next }
FILENAME ~ /banks.txt$/ && /^    parameter .*\\Depth / { bd = $NF; next }
FILENAME ~ /banks.txt$/ && /^    parameter .*\\Width / { bw = $NF; next }
FILENAME ~ /banks.txt$/ && /^    connect \\(w2|r3)_req_i 1'0$/ { bp--; next }
FILENAME ~ /banks.txt$/ && /^  end$/ {
  ge = sram_macro_ge(bd, bw, bp); sram_ge[bm] += ge; sram_bits[bm] += bd * bw
  k = bd SUBSEP bw SUBSEP bp; macro_in[bm, k]++; macro_ge[k] = ge; next
}
FILENAME ~ /generic.txt$/ && /=== design hierarchy ===/ { mod = ""; hier = 1; next }
FILENAME ~ /generic.txt$/ && /^=== / { mod = $2; mods[++nm] = mod; next }
# The hierarchy: instances per module, nested counts multiplied out.
FILENAME ~ /generic.txt$/ && hier == 1 && NF == 2 && $2 ~ /^[0-9]+$/ {
  match($0, /^ */); lv = (RLENGTH - 3) / 2; mult[lv] = $2 * (lv > 0 ? mult[lv - 1] : 1)
  inst[$1] += mult[lv]; up[lv] = $1; if (lv > 0) kid[up[lv - 1], $1] = $2
  seen = 1; next
}
FILENAME ~ /generic.txt$/ && hier == 1 && seen && NF == 0 { hier = 2 }
FILENAME ~ /generic.txt$/ && /Number of cells:/ { if (mod != "") cells[mod] = $4; else tot_cells = $4 }
FILENAME ~ /ltp.txt$/ && /^Longest topological path in/ {
  d = $6; gsub(/[^0-9]/, "", d); depth[$5] = d
}
FILENAME ~ /mapped.txt$/ && /=== design hierarchy ===/ { mod = ""; next }
FILENAME ~ /mapped.txt$/ && /^=== / { mod = $2; next }
FILENAME ~ /mapped.txt$/ && $1 ~ /^DFF/ && NF == 2 { if (mod != "") ffs[mod] += $2; else tot_ffs += $2 }
FILENAME ~ /mapped.txt$/ && /Chip area for module/ { area[mod] = $NF }
FILENAME ~ /mapped.txt$/ && /Chip area for top module/ { tot_area = $NF }
FILENAME ~ /blocks.txt$/ { x[++nx] = $0 }
# A module with everything below it: t[] is cells, ffs or area per module.
function subtree(m, t,  k, p, s) {
  s = t[m]
  for (k in kid) { split(k, p, SUBSEP); if (p[1] == m) s += kid[k] * subtree(p[2], t) }
  return s
}
function subdepth(m,  k, p, s, d) {
  s = depth[m] + 0
  for (k in kid) { split(k, p, SUBSEP); if (p[1] == m) { d = subdepth(p[2]); if (d > s) s = d } }
  return s
}
END {
  n = split("tessera_fma tessera_opunit tessera_seq tessera_perf tessera_buffer tessera_ni tessera_flit_fifo tessera_pe_array " top, order, " ")
  for (i = 1; i <= nm; i++) nb[base(mods[i])]++
  for (o = 1; o <= n; o++)
    for (i = 1; i <= nm; i++) {
      m = mods[i]; b = base(m)
      if (b != order[o]) continue
      label = b
      if (nb[b] > 1) label = b " (" substr(prm[m], 2) ")"
      else if (b == "tessera_fma") label = b " Stages=" pv[m, "Stages"]
      dep = b == top ? "-" : depth[m]
      what = b == top ? "the die top alone (host decode, instruction memory)" : "one instance in the die"
      if (b == "tessera_pe_array")  # only wires its FMA units: report it with them
        row(b " (with its FMA units)", inst[m], subtree(m, cells), subtree(m, ffs),
            subtree(m, area) / 1000, 0, subdepth(m), "the PE array and the FMA units it instantiates")
      else
        row(label, inst[m], cells[m], ffs[m], area[m] / 1000, sram_ge[m] / 1000, dep, what)
      if (b == "tessera_fma") { fc = cells[m]; ff = ffs[m]; fk = area[m] / 1000; fd = depth[m] }
      if (b == "tessera_opunit") { oc = cells[m]; of = ffs[m]; ok = area[m] / 1000; od = depth[m] }
    }
  # One PE: lanes x vector FMA units with their operand registers (no module of its own).
  row("PE (" per_pe " x (tessera_fma + tessera_opunit))", units / per_pe, per_pe * (fc + oc),
      per_pe * (ff + of), per_pe * (fk + ok), 0, fd > od ? fd : od,
      "derived: " per_pe " units of the rows above")
  # The die's macros: every module's banks times the module's instances.
  for (k in macro_in) {
    split(k, p, SUBSEP); c = macro_in[k] * inst[p[1]]
    mk = p[2] SUBSEP p[3] SUBSEP p[4]; macros[mk] += c
    die_sram_ge += c * macro_ge[mk]; die_bits += c * p[2] * p[3]
  }
  row("die (" top ", SRAM as macros)", 1, tot_cells, tot_ffs, tot_area / 1000, die_sram_ge / 1000, "-",
      "the whole die: every instance above, flattened count")
  for (i = 1; i <= nx; i++) {
    split(x[i], f, " ")
    b = f[1]; j = 2
    if (f[2] ~ /^Stages=/) { b = b " " f[2]; j = 3 }
    what = x[i]; for (k = 1; k < j + 4; k++) sub(/^[^ ]* /, "", what)
    row(b, "-", f[j], f[j + 1], f[j + 2], 0, f[j + 3], what)
  }
  printf "%-46s %4s %8s %7s %9s %9s %6s\n", "block", "n", "cells", "ffs", "kGE", "SRAM kGE", "depth"
  printf "{\n  \"top\": \"%s\",\n  \"fma_units\": %d,\n  \"blocks\": [\n", top, units > out
  for (i = 1; i <= nrow; i++) {
    printf "%-46s %4s %8d %7d %9.2f %9.2f %6s\n", rb[i], rn[i], rc[i], rf[i], rk[i], rs[i], rd[i]
    printf "    {\"block\": \"%s\", \"instances\": %s, \"cells\": %d, \"ffs\": %d, \"kge\": %.3f, \"sram_kge\": %.3f, \"depth\": %s, \"what\": \"%s\"}%s\n", \
      rb[i], rn[i] == "-" ? "null" : rn[i], rc[i], rf[i], rk[i], rs[i], rd[i] == "-" ? "null" : rd[i], rw[i], \
      i < nrow ? "," : "" > out
  }
  printf "  ],\n  \"sram_macros\": [\n" > out
  # Largest first, so the order does not depend on awk's hashing.
  nmac = 0
  for (mk in macros) {
    key[++nmac] = mk
    for (i = nmac; i > 1 && macro_ge[key[i]] > macro_ge[key[i - 1]]; i--) {
      t = key[i]; key[i] = key[i - 1]; key[i - 1] = t
    }
  }
  printf "\nSRAM macros (flows/sram_area.awk):\n"
  for (i = 1; i <= nmac; i++) {
    mk = key[i]; split(mk, p, SUBSEP)
    kind = p[3] > 2 ? "1RW+1R+1W" : p[3] > 1 ? "1RW+1W" : "1RW"
    printf "  %3d x %5d words x %2d bits, %-9s %8.2f kGE each, %5.1f %% cell array\n", \
      macros[mk], p[1], p[2], kind, macro_ge[mk] / 1000, \
      100 * p[1] * p[2] * sram_cell_ge(p[3]) / macro_ge[mk]
    printf "    {\"count\": %d, \"words\": %d, \"width\": %d, \"ports\": \"%s\", \"kge_each\": %.3f}%s\n", \
      macros[mk], p[1], p[2], kind, macro_ge[mk] / 1000, i < nmac ? "," : "" > out
  }
  printf "  ],\n  \"die\": {\"logic_kge\": %.3f, \"sram_bits\": %d, \"sram_kge\": %.3f, \"total_kge\": %.3f}\n}\n", \
    tot_area / 1000, die_bits, die_sram_ge / 1000, (tot_area + die_sram_ge) / 1000 > out
  printf "\nn: instances in the die; kGE: logic on flows/cells.lib; depth: gate levels (ltp -noff)\n"
  printf "die: logic %.1f kGE + SRAM %.1f kGE (%d bits) = %.1f kGE\n", \
    tot_area / 1000, die_sram_ge / 1000, die_bits, (tot_area + die_sram_ge) / 1000
}
