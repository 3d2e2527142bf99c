#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the project's own inputs
# (nothing generated is committed): fuzz/make-seeds.sh BUILD_DIR
#   BUILD_DIR/seeds/json     every .json under tests/ and examples/
#   BUILD_DIR/seeds/text     every .mir, plus 200 of tests/random's programs
#   BUILD_DIR/seeds/interp   both, as the target reads them: byte 0 + a .mir
#   BUILD_DIR/seeds/jit      file's text, byte 1 + a .json file's text
#   BUILD_DIR/seeds/runtime  fuzz/seeds/runtime (hand-made step programs)
# plus each target's checked-in fuzz/seeds/NAME.
set -euo pipefail
build=${1:?usage: make-seeds.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$build/seeds
rm -rf "$out"
mkdir -p "$out"/{json,text,interp,jit,runtime} "$build/random-programs"
"$build/bin/fuzz_seedgen" "$build/random-programs" 200

n=0
add() { # add DIR FILE [PREFIX-BYTE]
  n=$((n + 1))
  local dst=$out/$1/$(basename "$2" | tr -c 'A-Za-z0-9._\n-' _)_$n
  if [ $# -eq 3 ]; then { printf "$3"; cat "$2"; } > "$dst"; else cp "$2" "$dst"; fi
}
while IFS= read -r f; do
  add json "$f"; add interp "$f" '\001'; add jit "$f" '\001'
done < <(find "$root/tests" "$root/examples" -name '*.json' | sort)
while IFS= read -r f; do
  add text "$f"; add interp "$f" '\000'; add jit "$f" '\000'
done < <({ find "$root/tests" "$root/examples" -name '*.mir'; find "$build/random-programs" -name '*.mir'; } | sort)
for t in json text interp jit runtime; do
  if [ -d "$root/fuzz/seeds/$t" ]; then
    cp "$root/fuzz/seeds/$t"/* "$out/$t"/ 2>/dev/null || true
  fi
  echo "seeds/$t: $(ls "$out/$t" | wc -l) files"
done
