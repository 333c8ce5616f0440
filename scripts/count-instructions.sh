#!/usr/bin/env bash
# Instructions per bulletin, counted by valgrind's callgrind: the same on every run, where the wall clock of
# this 2-core virtual machine varies by 20% from one minute to the next (docs/benchmarks.md).
#
#   scripts/count-instructions.sh batch  [BINARY]   # assay check DIR --format json --output OUT
#   scripts/count-instructions.sh daemon [BINARY]   # assay watch clearing an inbox, stopped by SIGTERM
#
# Each mode runs twice, on FEW and on MANY copies of the bundled sample (each with a numbered line, so no two
# are alike), and prints (instructions(MANY) - instructions(FEW)) / (MANY - FEW): the cost of one more
# bulletin, without start-up. The binary (default .build/release/assay) is copied without its debug
# information first: valgrind cannot read Swift 6.3's. Needs valgrind and binutils (objcopy).
set -euo pipefail
mode=${1:?usage: count-instructions.sh batch|daemon [BINARY]}
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${2:-$root/.build/release/assay}
sample=$root/Samples/chongqing-2021-01-05-xunshi-progress.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
objcopy --strip-debug "$binary" "$work/assay"

inputs() { # FOLDER N
  mkdir -p "$1"
  for ((i = 0; i < $2; i++)); do { cat "$sample"; printf '\n（编号%d）\n' "$i"; } > "$(printf '%s/b%05d.txt' "$1" "$i")"; done
}

count() { # N -> total instructions
  local n=$1 run=$work/run-$1
  rm -rf "$run"; inputs "$run/inbox" "$n"
  if [ "$mode" = batch ]; then
    valgrind --tool=callgrind --callgrind-out-file="$run/cg" "$work/assay" check "$run/inbox" \
      --format json --output "$run/out" > /dev/null 2> "$run/log" || true
  else
    valgrind --tool=callgrind --callgrind-out-file="$run/cg" "$work/assay" watch --inbox "$run/inbox" \
      --outbox "$run/out" --state "$run/state" --workers 2 > /dev/null 2> "$run/log" &
    local pid=$!
    until [ "$(find "$run/out" -name '*.findings.json' 2> /dev/null | wc -l)" -ge "$n" ]; do sleep 1; done
    sleep 2; kill -TERM "$pid"; wait "$pid" || true
  fi
  grep -o 'Collected : [0-9]*' "$run/log" | awk '{print $3}'
}

few=20 many=${MANY:-220}
a=$(count $few)
b=$(count "$many")
echo "$mode: $(( (b - a) / (many - few) )) instructions per bulletin ($few files: $a, $many files: $b)"
