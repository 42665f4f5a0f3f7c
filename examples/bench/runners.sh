#!/usr/bin/env bash
# Benchmark: the same pipeline commands on the Direct runner, on an embedded Flink ([local], parallelism = cores)
# and on a 2-TaskManager Flink cluster (runners/flink/cluster.sh), side by side in one run on one machine.
#
#   [BENCH_RUNNERS="direct flink-local"] examples/bench/runners.sh [INPUT.jsonl] [COMMANDS...]
#
# INPUT defaults to /work/bench-data/linux-c-pair.jsonl (211 MB: two Linux point releases, real near-duplicates);
# COMMANDS default to "dedup pretokenize prepare". pretokenize runs on the Direct dedup's kept documents with a
# tokenizer trained on them in between (not timed), so dedup must come first. BENCH_RUNNERS picks the runners
# (default: all three; the cluster is started only when flink-cluster is among them). Prints a Markdown table: wall
# seconds per runner, the launching JVM's peak RSS, and whether the runners' outputs are the same (sorted kept
# documents and clusters; the tokenizer; the shard manifests' totals). Outputs and logs go to bench-out/runners/ (or $BENCH_OUT).
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
ALL_RUNNERS=(direct flink-local flink-cluster)
read -r -a RUNNERS <<<"${BENCH_RUNNERS:-${ALL_RUNNERS[*]}}"
for runner in "${RUNNERS[@]}"; do
  [[ -v "RUNNER_ARGS[$runner]" ]] || { echo "unknown runner $runner (direct, flink-local, flink-cluster)" >&2; exit 2; }
done

command_args() { # COMMAND OUTPUT_DIR
  case "$1" in
    dedup) echo "--input=$INPUT --output=$2" ;;
    pretokenize) echo "--input=$OUT/dedup-direct/kept/ --tokenizer=$OUT/tokenizer/tokenizer.json --output=$2" ;;
    prepare) echo "--input=$INPUT --output=$2 --vocabSize=$VOCAB" ;;
    *) echo "unknown command $1" >&2; exit 2 ;;
  esac
}

echo "bench: building (not timed) ..."
"$BERTFORGE" stats --help >/dev/null # a command's --help builds what changed; plain --help does not
if [[ " ${RUNNERS[*]} " == *" flink-cluster "* ]]; then
  echo "bench: starting a 2-TaskManager cluster (not timed) ..."
  "$CLUSTER" start --dir="$CLUSTER_DIR" --taskmanagers=2 --slots="$CORES" --tm-memory=3g \
    --rest-port="$REST_PORT" --rpc-port="$RPC_PORT" >"$OUT/cluster-start.log"
fi

declare -A SECONDS_OF RSS_OF
for command in "${COMMANDS[@]}"; do
  for runner in "${ALL_RUNNERS[@]}"; do
    SECONDS_OF[$command-$runner]="-"
    RSS_OF[$command-$runner]="-"
  done
done
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
      SECONDS_OF[$command-$runner]="$wall s"
      RSS_OF[$command-$runner]="$((rss / 1024))"
    else
      SECONDS_OF[$command-$runner]="failed"
      RSS_OF[$command-$runner]="-"
      echo "bench: $command on $runner failed, see $dir.log" >&2
    fi
  done
done

totals() { # MANIFEST... : their "totals" objects
  python3 -c 'import json, sys; [print(json.load(open(f))["totals"]) for f in sys.argv[1:]]' "$@"
}
# What each run produced, order-free: equal fingerprints = the runners wrote the same data.
fingerprint() { # COMMAND OUTPUT_DIR
  local dir="$2"
  case "$1" in
    dedup) cat "$dir"/kept/* | sort | sha256sum; cat "$dir"/clusters/* | sort | sha256sum ;;
    pretokenize) totals "$dir"/manifest.json "$dir"/validation/manifest.json ;;
    prepare)
      cat "$dir"/dedup/kept/* | sort | sha256sum
      sha256sum <"$dir"/tokenizer/tokenizer.json
      totals "$dir"/shards/manifest.json "$dir"/shards/validation/manifest.json ;;
  esac 2>/dev/null | sha256sum | cut -c1-16
}
declare -A SAME_OF
for command in "${COMMANDS[@]}"; do
  prints=""
  for runner in "${RUNNERS[@]}"; do
    [[ "${SECONDS_OF[$command-$runner]}" == failed ]] || prints+="$(fingerprint "$command" "$OUT/$command-$runner") "
  done
  SAME_OF[$command]="$([[ "$(tr ' ' '\n' <<<"$prints" | sort -u | grep -c .)" -le 1 ]] && echo same || echo DIFFER)"
done

input_mb="$(($(stat -c %s "$INPUT") / 1000000))"
echo
echo "Input: $INPUT ($input_mb MB), $CORES cores, $(date -u +%F), machine shared with other jobs"
echo
echo "| command | Direct | embedded Flink ([local], p=$CORES) | 2-TM cluster (p=$CORES) | launcher peak RSS (MB) D / F / C | outputs |"
echo "|---|---|---|---|---|---|"
for command in "${COMMANDS[@]}"; do
  row="| $command"
  for runner in "${ALL_RUNNERS[@]}"; do
    row+=" | ${SECONDS_OF[$command-$runner]}"
  done
  row+=" | ${RSS_OF[$command-direct]} / ${RSS_OF[$command-flink-local]} / ${RSS_OF[$command-flink-cluster]}"
  row+=" | ${SAME_OF[$command]} |"
  echo "$row"
done
