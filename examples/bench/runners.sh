#!/usr/bin/env bash
# Benchmark: the same pipeline commands on the Direct runner, on an embedded Flink ([local], parallelism = cores)
# and on a 2-TaskManager Flink cluster (runners/flink/cluster.sh), side by side in one run on one machine.
#
#   examples/bench/runners.sh [INPUT.jsonl] [COMMANDS...]
#
# INPUT defaults to /work/bench-data/linux-c-pair.jsonl (211 MB: two Linux point releases, real near-duplicates);
# COMMANDS default to "dedup pretokenize prepare". pretokenize runs on the Direct dedup's kept documents with a
# tokenizer trained on them in between (not timed), so dedup must come first. Prints a Markdown table: wall seconds (and documents/s) per runner, and the
# launching JVM's peak RSS. Outputs and logs go to bench-out/runners/ (or $BENCH_OUT).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INPUT="${1:-/work/bench-data/linux-c-pair.jsonl}"
shift || true
COMMANDS=("$@")
[[ ${#COMMANDS[@]} -gt 0 ]] || COMMANDS=(dedup pretokenize prepare)
OUT="${BENCH_OUT:-$ROOT/bench-out/runners}"
CORES="$(nproc)"
BERTFORGE="$ROOT/bertforge"
CLUSTER="$ROOT/runners/flink/cluster.sh"
CLUSTER_DIR="$OUT/cluster"
export BERTFORGE_HEAP="${BERTFORGE_HEAP:-6g}"
VOCAB="${BENCH_VOCAB:-8192}"

rm -rf "$OUT"
mkdir -p "$OUT"
trap '"$CLUSTER" stop --dir="$CLUSTER_DIR" >/dev/null 2>&1 || true' EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
REST_PORT=18181
while port_in_use "$REST_PORT"; do REST_PORT=$((REST_PORT + 1)); done
RPC_PORT=16223
while port_in_use "$RPC_PORT"; do RPC_PORT=$((RPC_PORT + 1)); done

declare -A RUNNER_ARGS=(
  [direct]="--runner=DirectRunner"
  [flink-local]="--runner=FlinkRunner --flinkMaster=[local] --parallelism=$CORES"
  [flink-cluster]="--runner=FlinkRunner --flinkMaster=localhost:$REST_PORT --parallelism=$CORES"
)
RUNNERS=(direct flink-local flink-cluster)

command_args() { # COMMAND OUTPUT_DIR
  case "$1" in
    dedup) echo "--input=$INPUT --output=$2" ;;
    pretokenize) echo "--input=$OUT/dedup-direct/kept/ --tokenizer=$OUT/tokenizer/tokenizer.json --output=$2" ;;
    prepare) echo "--input=$INPUT --output=$2 --vocabSize=$VOCAB" ;;
    *) echo "unknown command $1" >&2; exit 2 ;;
  esac
}

echo "bench: building and bundling (not timed) ..."
"$BERTFORGE" --help >/dev/null
echo "bench: starting a 2-TaskManager cluster (not timed) ..."
"$CLUSTER" start --dir="$CLUSTER_DIR" --taskmanagers=2 --slots="$CORES" --tm-memory=3g \
  --rest-port="$REST_PORT" --rpc-port="$RPC_PORT" >"$OUT/cluster-start.log"

declare -A SECONDS_OF RSS_OF
for command in "${COMMANDS[@]}"; do
  if [[ "$command" == pretokenize && ! -f "$OUT/tokenizer/tokenizer.json" ]]; then
    echo "bench: train-tokenizer on dedup's kept documents, for pretokenize (not timed) ..."
    "$BERTFORGE" train-tokenizer --input="$OUT/dedup-direct/kept/" --output="$OUT/tokenizer" \
      --vocabSize="$VOCAB" >"$OUT/tokenizer.log" 2>&1
  fi
  for runner in "${RUNNERS[@]}"; do
    dir="$OUT/$command-$runner"
    echo "bench: $command on $runner ..."
    # shellcheck disable=SC2046  # the argument lists are word lists
    if /usr/bin/time -f '%e %M' -o "$dir.time" "$BERTFORGE" "$command" $(command_args "$command" "$dir") \
        ${RUNNER_ARGS[$runner]} >"$dir.log" 2>&1; then
      read -r wall rss <"$dir.time"
      SECONDS_OF[$command-$runner]="$wall"
      RSS_OF[$command-$runner]="$((rss / 1024))"
    else
      SECONDS_OF[$command-$runner]="failed"
      RSS_OF[$command-$runner]="-"
      echo "bench: $command on $runner failed, see $dir.log" >&2
    fi
  done
done

input_mb="$(($(stat -c %s "$INPUT") / 1000000))"
echo
echo "Input: $INPUT ($input_mb MB), $CORES cores, $(date -u +%F), machine shared with other jobs"
echo
echo "| command | Direct | embedded Flink ([local], p=$CORES) | 2-TM cluster (p=$CORES) | launcher peak RSS (MB) D / F / C |"
echo "|---|---|---|---|---|"
for command in "${COMMANDS[@]}"; do
  row="| $command"
  for runner in "${RUNNERS[@]}"; do
    row+=" | ${SECONDS_OF[$command-$runner]} s"
  done
  row+=" | ${RSS_OF[$command-direct]} / ${RSS_OF[$command-flink-local]} / ${RSS_OF[$command-flink-cluster]} |"
  echo "$row"
done
