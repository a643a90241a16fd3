#!/usr/bin/env bash
# Bad inputs other than configurations (those are tests/test_bad_configs.sh):
# output paths, programs, hex files, model descriptions and command lines. Each
# case runs in a scratch directory W holding a person's files, asserts the exit
# status and the message, and that nothing in W outside the output was touched
# (a hash of the tree before and after); a refused run must leave all of W,
# the output path included, as it was (docs/output-dirs.md).
# Usage: tests/test_bad_inputs.sh [TESSERA_BIN]   (default build/bin/tessera)
set -u
tessera=${1:-build/bin/tessera}
case $tessera in */*) tessera=$(cd "$(dirname "$tessera")" && pwd)/$(basename "$tessera") ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dir=$here/bad_inputs
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
pass=0
fail=0
bad() {
  fail=$((fail + 1))
  echo "FAIL $*"
}
good() {
  pass=$((pass + 1))
  echo "ok   $*"
}

# The tree under $1, every entry with its type, mode and content (or link
# target), leaving out the path $2 (relative to $1) when given.
tree_sum() {
  (cd "$1" && find . -mindepth 1 ${2:+-path "./$2" -prune -o} -print | LC_ALL=C sort |
    while IFS= read -r p; do
      if [ -L "$p" ]; then printf 'l %s %s\n' "$p" "$(readlink "$p")"
      elif [ -d "$p" ]; then printf 'd %s %s\n' "$p" "$(stat -c %a "$p")"
      else printf 'f %s %s %s\n' "$p" "$(stat -c %a "$p")" "$(sha256sum < "$p" | cut -c1-64)"; fi
    done | sha256sum | cut -c1-64)
}

# A scratch directory with a person's files: a source tree with a files.f (the
# usual name of a Verilog file list), notes, a subdirectory, a link.
fresh() {
  W=$T/w$((pass + fail))
  rm -rf "$W" && mkdir -p "$W/mine/sub" "$W/empty"
  printf 'my_top.sv\n' > "$W/mine/files.f"
  printf 'module my_top; endmodule\n' > "$W/mine/my_top.sv"
  printf 'keep me\n' > "$W/mine/sub/notes.txt"
  printf 'a file\n' > "$W/afile"
  ln -s mine "$W/link"
  ln -s /dev/null "$W/null-link"
}

# expect NAME STATUS TEXT OUT -- ARGS...: run tessera ARGS in W; the exit status
# must be STATUS, stderr must hold TEXT (when not empty), and W must be
# unchanged outside OUT (everywhere when STATUS is not 0, or OUT is "").
expect() {
  local name=$1 want_rc=$2 want=$3 out=$4
  shift 5
  local keep=""
  [ "$want_rc" -eq 0 ] && keep=$out
  local before after
  before=$(tree_sum "$W" "$keep")
  (cd "$W" && "${bin:-$tessera}" "$@" < /dev/null > "$T/stdout" 2> "$T/stderr")
  local rc=$?
  after=$(tree_sum "$W" "$keep")
  if [ "$rc" -ne "$want_rc" ]; then
    bad "$name: exit status $rc, expected $want_rc; stderr: $(head -c 400 "$T/stderr")"
  elif [ -n "$want" ] && ! grep -qF -- "$want" "$T/stderr"; then
    bad "$name: stderr does not hold the expected text"
    echo "     got:  $(head -c 400 "$T/stderr")"
    echo "     want: $want"
  elif [ "$before" != "$after" ]; then
    bad "$name: touched files outside its output: $(cd "$W" && find . -newer "$T/stdout" | head -5)"
  elif ls -A "$W" | grep -q 'tessera-tmp'; then
    bad "$name: left a temporary file: $(ls -A "$W" | grep tessera-tmp)"
  else
    good "$name"
  fi
}

cfg=$root/configs/default.json
prog=$root/tests/cosim/demo.s

# ---- output paths: tessera gen -o DIR -------------------------------------------------
fresh
expect "gen -o a directory of a person's files with a files.f" 2 \
  'mine: exists, is not empty and is not a tessera output directory' mine -- gen "$cfg" -o mine
[ -f "$W/mine/my_top.sv" ] && [ -f "$W/mine/sub/notes.txt" ] && good "  ... and every file is still there" ||
  bad "gen -o mine deleted a person's files"
expect "gen -o ." 2 '.: names the current directory' . -- gen "$cfg" -o .
expect "gen -o .." 2 '..: names a parent directory' .. -- gen "$cfg" -o ..
expect "gen -o mine/.." 2 'names a parent directory' mine/.. -- gen "$cfg" -o mine/..
expect "gen -o ''" 2 'the output path is empty' "" -- gen "$cfg" -o ""
expect "gen -o /" 2 'names the root directory' / -- gen "$cfg" -o /
expect "gen -o a symbolic link to a directory" 2 'link: is a symbolic link' link -- gen "$cfg" -o link
expect "gen -o a file" 2 'afile: exists and is not a directory' afile -- gen "$cfg" -o afile
expect "gen -o below a file" 2 'afile/out: cannot look at it: Not a directory' afile/out -- gen "$cfg" -o afile/out
expect "gen -o out: a new directory" 0 "" out -- gen "$cfg" -o out
[ -f "$W/out/tessera-manifest.txt" ] && head -n 1 "$W/out/tessera-manifest.txt" |
  grep -qx 'tessera output directory, manifest version 1' &&
  [ "$(grep -c '^file: ' "$W/out/tessera-manifest.txt")" -eq "$(($(ls "$W/out" | wc -l) - 1))" ] &&
  good "  ... with a manifest naming every file" || bad "gen -o out: no manifest naming every file"
expect "gen -o out/ (a trailing slash) replaces the previous output" 0 "" out -- gen "$cfg" -o out/
[ -f "$W/out/files.f" ] && good "  ... and writes it" || bad "gen -o out/ wrote nothing"
cp -r "$W/out" "$W/ref"
printf 'my notes\n' > "$W/out/notes.txt"
expect "gen -o an output with a person's file added" 2 'out: holds "notes.txt", which tessera did not write' out \
  -- gen "$cfg" -o out
rm "$W/out/notes.txt"
mkdir "$W/out/sub"
expect "gen -o an output with a subdirectory added" 2 'holds "sub"' out -- gen "$cfg" -o out
rmdir "$W/out/sub"
expect "gen -o the current directory by another name" 2 'is the current directory or holds it' out \
  -- gen "$cfg" -o ../"$(basename "$W")"
expect "gen -o an empty directory" 0 "" empty -- gen "$cfg" -o empty
expect "gen -o a path with spaces" 0 "" "with space" -- gen "$cfg" -o "with space/x y"
diff -r "$W/ref" "$W/with space/x y" > /dev/null && good "  ... the same output" || bad "gen -o 'with space/x y' differs"
mkdir "$W/legacy" && cp "$W/ref"/* "$W/legacy/" && rm "$W/legacy/tessera-manifest.txt"
expect "gen -o an output of an older tessera (no manifest)" 0 "" legacy -- gen "$cfg" -o legacy
mkdir "$W/legacy2" && cp "$W/ref"/* "$W/legacy2/" && rm "$W/legacy2/tessera-manifest.txt" && cp "$W/mine/my_top.sv" "$W/legacy2/"
expect "gen -o an older output holding a person's file" 2 'not a tessera output directory' legacy2 -- gen "$cfg" -o legacy2
sed -i 1d "$W/ref/tessera-manifest.txt"
expect "gen -o a directory whose manifest lacks the signature" 2 "does not start with tessera's signature" ref \
  -- gen "$cfg" -o ref
# Eight runs at once into one directory end with one complete output.
fresh
(cd "$W" && for i in 1 2 3 4 5 6 7 8; do "$tessera" gen "$cfg" -o out & done; wait)
"$tessera" gen "$cfg" -o "$T/ref8" && diff -r "$W/out" "$T/ref8" > /dev/null &&
  [ -z "$(ls -A "$W" | grep tessera-tmp)" ] && good "8 concurrent gen -o out: one complete output, no temporary left" ||
  bad "8 concurrent gen -o out"
rm -rf "$T/ref8"
# A write that fails (a file size limit, SIGXFSZ ignored) leaves nothing behind
# and, for asm -o FILE, FILE as it was.
# (1 KiB: room for the message on stderr, not for an RTL file or a 40-line hex.)
printf '#!/bin/sh\ntrap "" XFSZ\nulimit -f 1\nexec "%s" "$@"\n' "$tessera" > "$T/limited"
for i in $(seq 40); do printf 'vadd a=0 b=0 c=0 len=1\n'; done > "$T/forty.s"
chmod +x "$T/limited"
fresh
bin=$T/limited expect "gen whose writes fail (ulimit -f 1)" 1 'write failed' out -- gen "$cfg" -o out
[ ! -e "$W/out" ] && good "  ... and leaves no output" || bad "gen whose writes fail left out/"

# ---- output paths: tessera asm -o FILE --------------------------------------------------
fresh
printf 'my hex\n' > "$W/keep.hex"
bin=$T/limited expect "asm -o FILE whose write fails keeps FILE" 1 'keep.hex: cannot write' "" -- asm "$T/forty.s" -o keep.hex
expect "asm -o a directory" 2 'mine: is a directory, expected a file name' "" -- asm "$prog" -o mine
expect "asm -o DIR/" 2 'out/: names a directory' "" -- asm "$prog" -o out/
expect "asm -o a symbolic link" 2 'null-link: is a symbolic link' "" -- asm "$prog" -o null-link
expect "asm -o /dev/null (not a regular file)" 2 '/dev/null: is not a regular file' "" -- asm "$prog" -o /dev/null
expect "asm -o ''" 2 'the output path is empty' "" -- asm "$prog" -o ""
expect "asm -o into a missing directory" 2 'nodir/p.hex: cannot write beside it' "" -- asm "$prog" -o nodir/p.hex
expect "asm -o 'a b.hex'" 0 "" "a b.hex" -- asm "$prog" -o "a b.hex"
expect "asm -o FILE replaces a file once complete" 0 "" keep.hex -- asm "$prog" -o keep.hex
cmp -s "$W/keep.hex" "$W/a b.hex" && good "  ... with the program" || bad "asm -o keep.hex did not write the program"

# ---- sweep -o DIR and no code from data --------------------------------------------------
hd=$root/configs/hecaton-die.json
fresh
expect "sweep -o a person's directory: refused before the sweep" 2 \
  'mine: exists, is not empty and is not a tessera output directory' mine -- sweep "$hd" --model bert-large -o mine
expect "sweep -o ''" 2 'the output path is empty' "" -- sweep "$hd" --model bert-large -o ""
expect "sweep -o a symbolic link" 2 'link: is a symbolic link' link -- sweep "$hd" --model bert-large -o link
expect "sweep with a gnuplot command in the model's name, --plot" 0 "" sw \
  -- sweep "$hd" --model "$dir/model_gnuplot_injection.json" -o sw --dies 4,16 --plot
[ ! -e "$W/PWNED" ] && [ ! -e "$W/sw/PWNED" ] && good "  ... and gnuplot ran no command from it" ||
  bad "sweep --plot ran a command from the model's name"
grep -q "^set title 'x_; system _touch PWNED_; print _, batch" "$W/sw/pareto.gp" && good "  ... the title holds no quote" ||
  bad "sweep: the gnuplot title is not the whitelisted name: $(grep title "$W/sw/pareto.gp" | head -1)"
(cd "$W/sw" && gnuplot pareto.gp > /dev/null 2>&1)
[ ! -e "$W/sw/PWNED" ] && good "  ... nor a later gnuplot pareto.gp" || bad "gnuplot pareto.gp ran a command from the model's name"
grep -qx 'derived: pareto.svg' "$W/sw/tessera-manifest.txt" && good "  ... the plot is in the manifest" ||
  bad "sweep: pareto.svg is not in the manifest"
expect "sweep -o its own previous output (with the plot)" 0 "" sw -- sweep "$hd" --model bert-large -o sw --dies 4
[ ! -e "$W/sw/pareto.svg" ] && [ -f "$W/sw/points.csv" ] && good "  ... replaced whole" || bad "sweep over its own output"
(cd "$W" && "$tessera" gen "$cfg" -o out > /dev/null) && expect "sweep -o a gen output" 2 \
  'out: is the output of `tessera gen`, not of `tessera sweep`' out -- sweep "$hd" --model bert-large -o out --dies 4
big="--dies 1,2,4,8,16,32,64,128,256 --act-kb 1,2,4,8,16,32,64,128 --wgt-kb 1,2,4,8,16,32,64,128 --link-ns 1,2,3,4,5,6,7,8 --link-gbps 32,64,128,256,512 --dataflow ws,os --package standard,advanced"
expect "sweep of 1597440 points over the default cap" 2 \
  '1597440 design points is more than 1000000 (the default cap)' big -- sweep "$hd" --model bert-large -o big $big
expect "sweep over --max-points" 2 '32 design points is more than 10 (--max-points)' big \
  -- sweep "$hd" --model bert-large -o big --dies 4,16 --max-points 10
expect "sweep --max-points 0" 2 "--max-points: '0' is not allowed, expected an integer 1..1000000000" big \
  -- sweep "$hd" --model bert-large -o big --max-points 0

# ---- reproduce: DOC.md beside and renamed, DATA_DIR an output directory, quoted paths ------
fresh
expect "reproduce into a person's directory" 2 'mine: exists, is not empty and is not a tessera output directory' mine \
  -- reproduce "$hd" doc.md mine img reproduction
[ ! -e "$W/doc.md" ] && good "  ... and writes no page" || bad "reproduce refused its data directory but wrote the page"
expect "reproduce with a control character in IMG_DIR" 2 'IMG_DIR: holds a control character' "" \
  -- reproduce "$hd" doc.md data "$(printf 'i\nmg')" reproduction
mkdir -p "$W/it's"
expect "reproduce with a quote in DATA_DIR" 0 "" "it's" -- reproduce "$hd" "it's/doc.md" "it's/d'x" "it's" reproduction
grep -qF "plot for [k=2:5] 'it''s/d''x/weak.dat'" "$W/it's/d'x/weak.gp" && good "  ... quoted in the gnuplot script" ||
  bad "reproduce: DATA_DIR not quoted in weak.gp"
(cd "$W" && gnuplot "it's/d'x/weak.gp" > /dev/null 2>&1) && [ -s "$W/it's/weak.svg" ] && good "  ... which gnuplot runs" ||
  bad "reproduce: gnuplot cannot run weak.gp with a quote in the paths"

# ---- programs, hex files, model descriptions: read end to end ------------------------------
fresh
no_esc() { # NAME: the last stderr holds no terminal escape (ESC, BEL)
  if LC_ALL=C grep -q "$(printf '[\033\007]')" "$T/stderr"; then bad "$1: a control character reached the terminal"
  else good "$1: no control character on the terminal"; fi
}
expect "asm of a program with a NUL byte" 2 'prog_nul_byte.s: line 2, column 1: a NUL byte, expected text' "" \
  -- asm "$dir/prog_nul_byte.s" -o p.hex
expect "asm of a directory" 2 'mine: is a directory, expected a file' "" -- asm mine -o p.hex
expect "asm of a missing file" 2 'nofile.s: cannot open: No such file or directory' "" -- asm nofile.s -o p.hex
expect "asm of an empty program: a warning" 0 'prog_empty.s: the program is empty (no instructions)' p.hex \
  -- asm "$dir/prog_empty.s" -o p.hex
expect "asm of a mnemonic with terminal escapes" 2 "prog_escape_codes.s:2: unknown mnemonic '?]0'" "" \
  -- asm "$dir/prog_escape_codes.s" -o p.hex
no_esc "asm of a mnemonic with terminal escapes"
expect "disasm of a hex file with a NUL byte" 2 'hex_nul_byte.hex: line 3, column 1: a NUL byte, expected text' "" \
  -- disasm "$dir/hex_nul_byte.hex"
expect "disasm of 5 words" 2 'hex_not_whole.hex: 5 words is not a whole number of 4-word instructions' "" \
  -- disasm "$dir/hex_not_whole.hex"
expect "disasm of a directory" 2 'mine: is a directory, expected a file' "" -- disasm mine
expect "disasm of an empty hex file: a warning" 0 'p.hex: the program is empty (no instructions)' "" -- disasm p.hex
expect "model of a program past the activation buffer (the harness's check)" 2 \
  'prog_past_buffer.s: insn 0 (gemm): X [0x0, +240) or Y [0x1000, +120) leaves the activation buffer (4096 words)' "" \
  -- model "$cfg" "$dir/prog_past_buffer.s"
expect "model of a program larger than the instruction memory (the harness's check)" 2 \
  'prog_too_large.s: 300 instructions do not fit the instruction memory (256, die.imem_words)' "" \
  -- model "$cfg" "$dir/prog_too_large.s"
expect "model of a program with a NUL byte" 2 'prog_nul_byte.s: line 2, column 1: a NUL byte' "" -- model "$cfg" "$dir/prog_nul_byte.s"
expect "gen of a directory as the configuration" 2 'mine: is a directory, expected a file' out -- gen mine -o out
expect "estimate with a directory as the model" 2 'mine: is a directory, expected a file' "" \
  -- estimate "$cfg" --model mine --method all
expect "estimate with a model's duplicate key" 2 'model_duplicate_key.json: hidden: is a duplicate key (line 1, column 48)' "" \
  -- estimate "$cfg" --model "$dir/model_duplicate_key.json" --method all
expect "estimate with a control character in the model's name" 2 \
  'model_control_char_name.json: name: holds the control character 0x1b, expected printable text' "" \
  -- estimate "$cfg" --model "$dir/model_control_char_name.json" --method all
expect "estimate with a terminal escape in a model's key" 2 'model_escape_key.json: ?[31mred: unknown key' "" \
  -- estimate "$cfg" --model "$dir/model_escape_key.json" --method all
no_esc "estimate with a terminal escape in a model's key"

# ---- command lines: every mistake exits 2 ------------------------------------------------
expect "gen -o without a value" 2 'tessera gen: -o needs a value' "" -- gen "$cfg" -o
expect "gen with an unknown option" 2 'tessera gen: unknown option --frob' "" -- gen "$cfg" -o out --frob
expect "gen with two configurations" 2 'tessera gen: unexpected argument' "" -- gen "$cfg" "$cfg" -o out
expect "asm without -o" 2 'tessera asm: missing -o OUTPUT' "" -- asm "$prog"
expect "model with one argument" 2 'usage: tessera model CONFIG PROGRAM.s' "" -- model "$cfg"
expect "reproduce with too few arguments" 2 'usage: tessera reproduce CONFIG DOC.md DATA_DIR IMG_DIR IMG_LINK' "" -- reproduce "$cfg"
expect "disasm with no file" 2 'tessera disasm: missing input file' "" -- disasm

# ---- every file of tests/bad_inputs/ is a case above ------------------------------------
for f in "$dir"/*; do
  [ -e "$f" ] || continue
  n=$(basename "$f")
  grep -qF -- "$n" "$0" && good "tests/bad_inputs/$n is used" || bad "tests/bad_inputs/$n: no case uses it"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
