#!/usr/bin/env bash
# Runner integration test (run by .ci/run): a real Flink cluster of separate JVMs runs the pipelines and must write
# exactly what the Direct runner writes, also when a TaskManager dies in the middle of a job.
#
#   runners/flink/integration-test.sh [WORK_DIR]
#
# 1. makes a small corpus with exact and near duplicates (IntegrationCorpus, from this repository's own files);
# 2. runs dedup, train-tokenizer (for the tokenizer) and pretokenize on the Direct runner;
# 3. starts a cluster (cluster.sh: a JobManager and 2 TaskManagers x 2 slots, a fixed-delay restart strategy);
# 4. runs dedup and pretokenize on it with --parallelism=2; their outputs, sorted, must equal the Direct runner's;
# 5. runs dedup again on a larger corpus and kill -9s one TaskManager while the job runs; the job must restart,
#    finish, and write the same output as the Direct runner: nothing lost, nothing doubled.
# The cluster is stopped whatever happens (trap on EXIT, INT, TERM). Exit status 0 only if every check passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$(mktemp -d -t bertforge-it-XXXXXX)}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
CLUSTER_DIR="$WORK/cluster"
CLUSTER="$ROOT/runners/flink/cluster.sh"
BERTFORGE="$ROOT/bertforge"
export BERTFORGE_HEAP="${BERTFORGE_HEAP:-2g}"
START=$SECONDS

log() { echo "[it $((SECONDS - START))s] $*"; }
fail() {
  echo "[it] FAILED: $*" >&2
  exit 1
}

stop_cluster() {
  local status=$?
  "$CLUSTER" stop --dir="$CLUSTER_DIR" >/dev/null 2>&1 || true
  if [[ $status -ne 0 ]]; then
    echo "[it] logs: $WORK (cluster logs in $CLUSTER_DIR/logs)" >&2
  fi
  exit $status
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

# ---- what each pipeline command is given -------------------------------------------------------------------
run_dedup() { # INPUT OUT [runner options...]
  local input="$1" out="$2"
  shift 2
  "$BERTFORGE" dedup --input="$input" --output="$out" "$@"
}
run_train_tokenizer() {
  local input="$1" out="$2"
  shift 2
  "$BERTFORGE" train-tokenizer --input="$input" --output="$out" --vocabSize=2048 "$@"
}
run_pretokenize() {
  local input="$1" out="$2"
  shift 2
  "$BERTFORGE" pretokenize --input="$input" --tokenizer="$WORK/direct/tokenizer/tokenizer.json" \
    --output="$out" --maxSeqLen=128 "$@"
}

# ---- comparing outputs --------------------------------------------------------------------------------------
# every line of every visible file under DIR/SUB (hidden files and temp folders excluded), sorted
sorted_lines() {
  local dir="$1"
  find "$dir" -type f ! -path '*/.*' ! -name '_*' -print0 | sort -z | xargs -0 -r cat | LC_ALL=C sort
}
# every TFRecord record under DIR as a hex line, CRCs checked, sorted
sorted_records() {
  local files
  mapfile -t files < <(find "$1" -type f -name '*.tfrecord*' ! -path '*/.*' | sort)
  [[ ${#files[@]} -gt 0 ]] || fail "no TFRecord files under $1"
  java -cp "$TESTING_JAR" dev.bertforge.runners.testing.TfRecordLines "${files[@]}" | LC_ALL=C sort
}
same_lines() { # WHAT EXPECTED_DIR ACTUAL_DIR
  local what="$1"
  cmp -s <(sorted_lines "$2") <(sorted_lines "$3") ||
    fail "$what differs from the Direct runner's: diff <(sort $2/*) <(sort $3/*)"
  log "  $what: $(sorted_lines "$2" | wc -l) lines, identical"
}
same_records() {
  local what="$1"
  cmp -s <(sorted_records "$2") <(sorted_records "$3") ||
    fail "$what differs from the Direct runner's ($2 vs $3)"
  log "  $what: $(sorted_records "$2" | wc -l) records, identical"
}
same_dedup() { # EXPECTED ACTUAL
  same_lines "kept documents" "$1/kept" "$2/kept"
  same_lines "duplicate clusters" "$1/clusters" "$2/clusters"
}
same_shards() {
  same_records "token shards" "$1" "$2"
}

# ---- 1. corpus ----------------------------------------------------------------------------------------------
log "building (first use builds quietly) ..."
"$BERTFORGE" --help >/dev/null
(cd "$ROOT" && mvn -B -q -DskipTests -Dbundle.skip=true package -pl runners/testing -am >"$WORK/build.log" 2>&1) ||
  fail "building runners/testing failed, see $WORK/build.log"
TESTING_JAR="$(ls "$ROOT"/runners/testing/target/bertforge-runners-testing-*.jar | head -n 1)"
mkdir -p "$WORK/corpus"
java -cp "$TESTING_JAR" dev.bertforge.runners.testing.IntegrationCorpus "$ROOT" "$WORK/corpus/small.jsonl" 1
java -cp "$TESTING_JAR" dev.bertforge.runners.testing.IntegrationCorpus "$ROOT" "$WORK/corpus/large.jsonl" \
  "${BERTFORGE_IT_ROUNDS:-6}"

# ---- 2. the Direct runner's outputs -------------------------------------------------------------------------
log "Direct runner: dedup, train-tokenizer, pretokenize"
run_dedup "$WORK/corpus/small.jsonl" "$WORK/direct/dedup" --runner=DirectRunner >"$WORK/direct-dedup.log" 2>&1 ||
  fail "dedup on the Direct runner, see $WORK/direct-dedup.log"
run_train_tokenizer "$WORK/direct/dedup/kept/" "$WORK/direct/tokenizer" --runner=DirectRunner \
  >"$WORK/direct-tokenizer.log" 2>&1 || fail "train-tokenizer on the Direct runner, see $WORK/direct-tokenizer.log"
run_pretokenize "$WORK/direct/dedup/kept/" "$WORK/direct/shards" --runner=DirectRunner \
  >"$WORK/direct-pretokenize.log" 2>&1 || fail "pretokenize on the Direct runner, see $WORK/direct-pretokenize.log"
run_dedup "$WORK/corpus/large.jsonl" "$WORK/direct/dedup-large" --runner=DirectRunner \
  >"$WORK/direct-dedup-large.log" 2>&1 || fail "dedup (large) on the Direct runner, see $WORK/direct-dedup-large.log"

# ---- 3. the cluster -----------------------------------------------------------------------------------------
REST_PORT="$(free_port "${BERTFORGE_IT_REST_PORT:-8081}")"
RPC_PORT="$(free_port 6123)"
log "starting a 2-TaskManager cluster (REST port $REST_PORT)"
"$CLUSTER" start --dir="$CLUSTER_DIR" --taskmanagers=2 --slots=2 --tm-memory=1600m \
  --rest-port="$REST_PORT" --rpc-port="$RPC_PORT"
ON_CLUSTER=(--runner=FlinkRunner "--flinkMaster=localhost:$REST_PORT" --parallelism=2)

# ---- 4. same outputs on the cluster -------------------------------------------------------------------------
log "cluster: dedup"
run_dedup "$WORK/corpus/small.jsonl" "$WORK/cluster-out/dedup" "${ON_CLUSTER[@]}" >"$WORK/cluster-dedup.log" 2>&1 ||
  fail "dedup on the cluster, see $WORK/cluster-dedup.log"
same_dedup "$WORK/direct/dedup" "$WORK/cluster-out/dedup"
log "cluster: pretokenize"
run_pretokenize "$WORK/direct/dedup/kept/" "$WORK/cluster-out/shards" "${ON_CLUSTER[@]}" \
  >"$WORK/cluster-pretokenize.log" 2>&1 || fail "pretokenize on the cluster, see $WORK/cluster-pretokenize.log"
same_shards "$WORK/direct/shards" "$WORK/cluster-out/shards"

# ---- 5. a TaskManager dies mid-job --------------------------------------------------------------------------
rest() { curl -sf --max-time 5 "http://127.0.0.1:$REST_PORT$1"; }
running_job() { # the id of the job in state RUNNING with a running task, if any
  local jid
  jid="$(rest /jobs/overview | tr '{' '\n' | grep '"state":"RUNNING"' | sed -n 's/.*"jid":"\([0-9a-f]*\)".*/\1/p' |
    head -n 1)" || true
  [[ -n "$jid" ]] && rest "/jobs/$jid" | grep -q '"status":"RUNNING"' && echo "$jid"
}
log "cluster: dedup (large corpus) with TaskManager 2 killed while it runs"
run_dedup "$WORK/corpus/large.jsonl" "$WORK/cluster-out/dedup-large" "${ON_CLUSTER[@]}" \
  >"$WORK/cluster-dedup-kill.log" 2>&1 &
JOB_CLIENT=$!
JID=""
for _ in $(seq 1 600); do
  JID="$(running_job || true)"
  [[ -n "$JID" ]] && break
  kill -0 "$JOB_CLIENT" 2>/dev/null || break
  sleep 0.5
done
[[ -n "$JID" ]] || fail "the job never ran on the cluster, see $WORK/cluster-dedup-kill.log"
sleep "${BERTFORGE_IT_KILL_AFTER:-2}"
rest "/jobs/$JID" | grep -q '"state":"RUNNING"' ||
  fail "job $JID was no longer running when the TaskManager was to be killed: make the corpus larger (BERTFORGE_IT_ROUNDS)"
VICTIM="$(cat "$CLUSTER_DIR/pids/taskmanager-2.pid")"
log "  job $JID running; kill -9 taskmanager-2 (pid $VICTIM)"
kill -9 "$VICTIM"
wait "$JOB_CLIENT" || fail "the job did not survive the loss of a TaskManager, see $WORK/cluster-dedup-kill.log"
EXCEPTIONS="$(rest "/jobs/$JID/exceptions")"
grep -q '"entries":\[{' <<<"$EXCEPTIONS" ||
  fail "job $JID shows no failure: the TaskManager was not lost while it ran ($EXCEPTIONS)"
log "  the job failed over and finished; its first failure: $(grep -o 'TaskManager with id [^ ]* is no longer reachable' \
  <<<"$EXCEPTIONS" | head -n 1 || sed -n 's/.*"root-exception":"\([^\\]*\).*/\1/p' <<<"$EXCEPTIONS")"
same_dedup "$WORK/direct/dedup-large" "$WORK/cluster-out/dedup-large"

log "PASSED: dedup and pretokenize on a 2-TaskManager cluster equal the Direct runner's, also after losing a TaskManager"
