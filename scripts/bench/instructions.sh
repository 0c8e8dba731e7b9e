#!/bin/sh
# Instructions a training step, counted by valgrind's callgrind (independent of the machine's
# load): `descent train --passes N --print-every 0` for N = PASSES and 2 x PASSES (default 1000)
# on a copy of the binary without debug information, the difference over PASSES. Valgrind cannot
# run AVX-512, so the AVX2 and portable kernel builds are counted (DESCENT_KERNELS; KERNELS picks
# some). A second thread's instructions count too (callgrind runs the threads one at a time);
# `taskset -c 0` gives the one-thread step (THREADS="two one" by default).
#
#     scripts/bench/instructions.sh [BINARY] [-- TRAIN OPTIONS...]
#
# e.g. PASSES=200 KERNELS=avx2 scripts/bench/instructions.sh .build/release/descent -- --hidden 50
set -eu
binary=${1:-.build/release/descent}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$binary" "$work/descent"
strip -g "$work/descent"
count() { # KERNELS PASSES [taskset...]
  kernels=$1 n=$2
  shift 2
  DESCENT_KERNELS=$kernels "$@" valgrind --tool=callgrind --callgrind-out-file="$work/out" \
    "$work/descent" train --passes "$n" --print-every 0 $extra 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
passes=${PASSES:-1000}
for kernels in ${KERNELS:-avx2 portable}; do
  for threads in ${THREADS:-two one}; do
    pin=""
    [ $threads = one ] && pin="taskset -c 0"
    extra="$*"
    a=$(count $kernels "$passes" $pin)
    b=$(count $kernels $((2 * passes)) $pin)
    echo "$kernels, $threads thread(s), train $*: $(( (b - a) / passes )) instructions a step"
  done
done
