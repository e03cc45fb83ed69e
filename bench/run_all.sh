#!/bin/sh
# Run every benchmark under one Xvfb server and collect their JSON objects, one line per
# figure, in bench/results.jsonl (or the file given). Progress goes to stderr; a bench that
# fails is named there and the others still run.
#   sh bench/run_all.sh [--committed] [results.jsonl]
# --committed runs a copy of the last commit (git archive HEAD) instead of the work tree,
# so that other people's unfinished edits in a shared tree cannot skew or hang the run.
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--committed" ]; then
    shift
    out="$(realpath -m "${1:-bench/results.jsonl}")"
    tree="$(mktemp -d /tmp/bmx-bench-tree-XXXXXX)"
    git archive HEAD | tar -x -C "$tree"
    BMX_BENCH_REVISION="$(git rev-parse --short HEAD) (committed tree)"
    export BMX_BENCH_REVISION
    echo "== running the committed tree $BMX_BENCH_REVISION from $tree" >&2
    exec sh "$tree/bench/run_all.sh" "$out"
fi
out="${1:-bench/results.jsonl}"
: >"$out"
run() {
    echo "== bench/$1.py $2" >&2
    python "bench/$1.py" $2 >>"$out" || echo "== bench/$1.py $2 FAILED" >&2
}
if [ -z "${BMX_BENCH_IN_XVFB:-}" ]; then
    BMX_BENCH_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1600x1000x24" sh "$0" "$out"
fi
# Every figure of docs/benchmarks.md, one JSON line each, in about 15 minutes on 2 cores.
run startup "--runs 5"
run release_latency "--releases 150"
run release_latency "--releases 150 --load"
run event_stall "--doors 2000"
run event_stall "--doors 20000"
run memory "--runs 2 --events 10000,50000"
run idle_cpu "--runs 2 --doors 200,20000"
run cli_latency "--runs 10"
echo "results in $out" >&2
