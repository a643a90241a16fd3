# tests/lint_lib.sh: what tests/test_gen.sh and tests/test_large.sh share,
# sourced by both. Every check prints one line: "ok ...", "FAIL ..." or
# "SKIP ..." (a check not run here, with where it runs); `lint_summary` closes
# with "N ok, M failed, K skipped".
status=0
n_ok=0
n_fail=0
n_skip=0
fail() { echo "FAIL $*"; status=1; n_fail=$((n_fail + 1)); }
skip() { echo "SKIP $*"; n_skip=$((n_skip + 1)); }
pass() { echo "ok $*"; n_ok=$((n_ok + 1)); }
lint_summary() { echo "$n_ok ok, $n_fail failed, $n_skip skipped"; }
# lint_top OUT LIST TOP LABEL [TB_LIST TB_TOP [TB_OUT]]: Verilator -Wall,
# Icarus and Yosys (SRAM banks as black boxes, `check -assert` after proc) on
# the files named in OUT/LIST, with TOP as the top module; prints one line
# naming LABEL; fails when a tool does. With TB_LIST, Icarus compiles that
# list, the RTL and its testbench top TB_TOP (docs/simulators.md), instead;
# with TB_OUT, from that directory.
lint_top() {
  local out=$1 list=$2 top=$3 label=$4 log=$1.${2%.f} ok=1 rtl
  local ivl_list=${5:-$2} ivl_top=${6:-$3} ivl_out=${7:-$1} t0=$SECONDS
  (cd "$out" && verilator --lint-only -Wall --top-module "$top" -f "$list") > "$log.verilator.log" 2>&1 \
    || { fail "$label: verilator --lint-only -Wall"; head -n 20 "$log.verilator.log"; ok=0; }
  (cd "$ivl_out" && iverilog -g2012 -s "$ivl_top" -o /dev/null -c "$ivl_list") > "$log.iverilog.log" 2>&1 \
    || { fail "$label: iverilog -g2012 ($ivl_top)"; head -n 20 "$log.iverilog.log"; ok=0; }
  rtl=$(grep -v '^tessera_sram_bank.sv$' "$out/$list" | sed "s|^|$out/|" | tr '\n' ' ')
  yosys -q -p "read_verilog -sv $rtl; read_verilog flows/tessera_sram_bank_bb.v; \
    hierarchy -check -top $top; proc; check -assert" > "$log.yosys.log" 2>&1 \
    || { fail "$label: yosys proc; check -assert"; tail -n 20 "$log.yosys.log"; ok=0; }
  [ $ok -eq 1 ] && pass "$label: verilator -Wall, iverilog, yosys check ($((SECONDS - t0)) s)"
  return 0
}
# die_units OUT: the FMA units of the die in OUT. grid_dies FILE: the dies of
# the grid that FILE's header names ("// RxC dies"). list_sum OUT LIST: a
# digest of the files that OUT/LIST names, to check identical RTL once.
die_units() { sed -n 's/^ *localparam int Units = \([0-9]*\);/\1/p' "$1/tessera_die.sv"; }
grid_dies() { sed -n 's/^\/\/ \([0-9]*\)x\([0-9]*\) dies.*/\1 \2/p' "$1" | awk '{print $1 * $2}'; }
list_sum() { (cd "$1" && cat $(cat "$2") | sha256sum | cut -c1-16); }
# mesh_units OUT: the FMA units of all the dies of the mesh top in OUT.
mesh_units() { echo $(($(die_units "$1") * $(grid_dies "$1/tessera_mesh.sv"))); }
