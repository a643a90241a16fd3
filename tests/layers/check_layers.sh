#!/usr/bin/env bash
# The floors of the C sources run one way (docs/layers.md):
#   arch/ <- models/, gen/ <- verif/ <- cli/
# A file may include headers of its own folder and of the floors below it,
# never of a floor above or of its sibling (models/ and gen/ share a floor).
# Reads every #include "..." of the .c, .h and .cpp files under ROOT's five
# folders; a header is placed by where it lives (its basename is unique);
# headers not in these folders (system, Verilator's, generated) are not
# checked. Prints each violation as FILE:LINE and exits 1 if there is one.
#   tests/layers/check_layers.sh [ROOT]
set -euo pipefail
root=${1:-.}
cd "$root"
floor() {
  case $1 in arch) echo 0 ;; models | gen) echo 1 ;; verif) echo 2 ;; cli) echo 3 ;; esac
}
# header basename -> folder, refusing a name that two folders hold
declare -A home
while IFS= read -r h; do
  b=${h##*/} dir=${h%%/*}
  if [ -n "${home[$b]:-}" ] && [ "${home[$b]}" != "$dir" ]; then
    echo "check_layers: $b is in both ${home[$b]}/ and $dir/: names must be unique"; exit 1
  fi
  home[$b]=$dir
done < <(find arch models gen verif cli -name '*.h' | sort)
bad=0
while IFS= read -r f; do
  dir=${f%%/*}
  while IFS=: read -r line inc; do
    b=${inc##*/} to=${home[${inc##*/}]:-}
    [ -z "$to" ] || [ "$to" = "$dir" ] && continue
    if [ "$(floor "$to")" -ge "$(floor "$dir")" ]; then
      echo "$f:$line: includes \"$inc\" from $to/: $dir/ (floor $(floor "$dir")) may include only from lower floors (arch 0, models and gen 1, verif 2, cli 3)"
      bad=1
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
           sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/')
done < <(find arch models gen verif cli \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) | sort)
exit $bad
