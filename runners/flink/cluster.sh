#!/usr/bin/env bash
# A standalone Flink 1.19 session cluster on this machine, from the Maven-resolved Flink jars (no Flink download):
# one JobManager (StandaloneSessionClusterEntrypoint) and N TaskManagers (TaskManagerRunner), each its own JVM,
# listening on loopback only.
#
#   runners/flink/cluster.sh start [--taskmanagers=N] [--slots=S] [--tm-memory=SIZE] [--jm-memory=SIZE]
#                                  [--rest-port=8081] [--rpc-port=6123] [--dir=DIR] [-Dflink.key=value ...]
#   runners/flink/cluster.sh status [--dir=DIR]
#   runners/flink/cluster.sh stop [--dir=DIR]
#
# Everything lives under DIR (default .bertforge-cluster/ at the repository root, or $BERTFORGE_CLUSTER_DIR):
# conf/config.yaml (the Flink configuration, memory included), conf/*-memory.txt (the JVM flags and resolved
# memory keys each process was started with), logs/, pids/, tmp/. `stop` ends exactly the processes whose ids
# `start` wrote to DIR/pids, and only if they still are the JVMs it started.
#
# Submit jobs with: ./bertforge dedup ... --runner=FlinkRunner --flinkMaster=localhost:8081 --parallelism=2
set -euo pipefail

shopt -s nullglob
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER_MODULE="runners/flink-cluster"

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# ---- options ------------------------------------------------------------------------------------------------
ACTION="${1:-}"
[[ -n "$ACTION" ]] || { usage; exit 2; }
shift
DIR="${BERTFORGE_CLUSTER_DIR:-$ROOT/.bertforge-cluster}"
TASKMANAGERS=1
SLOTS=2
TM_MEMORY=3g
JM_MEMORY=1600m
REST_PORT=8081
RPC_PORT=6123
EXTRA_CONF=()
for arg in "$@"; do
  case "$arg" in
    --taskmanagers=*) TASKMANAGERS="${arg#*=}" ;;
    --slots=*) SLOTS="${arg#*=}" ;;
    --tm-memory=*) TM_MEMORY="${arg#*=}" ;;
    --jm-memory=*) JM_MEMORY="${arg#*=}" ;;
    --rest-port=*) REST_PORT="${arg#*=}" ;;
    --rpc-port=*) RPC_PORT="${arg#*=}" ;;
    --dir=*) DIR="${arg#*=}" ;;
    -D*=*) kv="${arg#-D}"; EXTRA_CONF+=("${kv%%=*}: ${kv#*=}") ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$arg' (--help lists them)" ;;
  esac
done
for n in "$TASKMANAGERS" "$SLOTS" "$REST_PORT" "$RPC_PORT"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a positive number"
done
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
CONF="$DIR/conf"
LOGS="$DIR/logs"
PIDS="$DIR/pids"
# Every JVM of this cluster carries this marker, so `stop` never signals a process it did not start (pid reuse).
MARKER="-Dbertforge.cluster=$DIR"

# ---- processes ----------------------------------------------------------------------------------------------
# pid of a process this cluster started and that still runs, or nothing
live_pid() {
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$MARKER"; then
    echo "$pid"
  fi
}

rest_port_of_running() {
  sed -n 's/^rest.port: //p' "$CONF/config.yaml" 2>/dev/null || echo "$REST_PORT"
}

rest_get() {
  curl -sf --max-time 5 "http://127.0.0.1:$1$2"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

status() {
  local any=0 all=1 pidfile pid name
  for pidfile in "$PIDS"/*.pid; do
    name="$(basename "$pidfile" .pid)"
    pid="$(live_pid "$pidfile")"
    if [[ -n "$pid" ]]; then
      echo "$name: running (pid $pid, log $LOGS/$name.log)"
      any=1
    else
      echo "$name: not running (log $LOGS/$name.log)"
      all=0
    fi
  done
  if [[ $any == 0 ]]; then
    echo "no cluster running from $DIR"
    return 1
  fi
  local port overview
  port="$(rest_port_of_running)"
  if overview="$(rest_get "$port" /overview)"; then
    echo "REST http://localhost:$port/overview: $overview"
  else
    echo "REST http://localhost:$port: not answering"
    all=0
  fi
  [[ $all == 1 ]]
}

stop() {
  local pidfile pid name stopped=0
  # TaskManagers first, so they do not retry a vanished JobManager
  for pidfile in "$PIDS"/taskmanager-*.pid "$PIDS"/jobmanager.pid; do
    name="$(basename "$pidfile" .pid)"
    pid="$(live_pid "$pidfile")"
    if [[ -n "$pid" ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      local waited=0
      while kill -0 "$pid" 2>/dev/null && ((waited < 30)); do
        sleep 1
        waited=$((waited + 1))
      done
      if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        echo "$name: killed (pid $pid, did not stop within 30 s)"
      else
        echo "$name: stopped (pid $pid)"
      fi
      stopped=$((stopped + 1))
    fi
    rm -f "$pidfile"
  done
  [[ $stopped -gt 0 ]] || echo "no cluster running from $DIR"
}

# ---- start --------------------------------------------------------------------------------------------------
cluster_classpath() {
  local cpfile="$ROOT/$CLUSTER_MODULE/target/classpath.txt"
  if [[ ! -f "$cpfile" ]]; then
    echo "cluster.sh: resolving the Flink jars (first use; log in $DIR/resolve.log) ..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl "$CLUSTER_MODULE" >"$DIR/resolve.log" 2>&1) ||
      die "resolving the Flink jars failed, see $DIR/resolve.log"
  fi
  cat "$cpfile"
}

write_config() {
  mkdir -p "$CONF" "$LOGS" "$PIDS" "$DIR/tmp"
  {
    echo "# written by runners/flink/cluster.sh $(date -u +%FT%TZ)"
    echo "jobmanager.rpc.address: 127.0.0.1"
    echo "jobmanager.rpc.port: $RPC_PORT"
    echo "jobmanager.bind-host: 127.0.0.1"
    echo "rest.address: 127.0.0.1"
    echo "rest.bind-address: 127.0.0.1"
    echo "rest.port: $REST_PORT"
    echo "taskmanager.host: 127.0.0.1"
    echo "taskmanager.bind-host: 127.0.0.1"
    echo "taskmanager.numberOfTaskSlots: $SLOTS"
    echo "# memory: the whole JVM process of each TaskManager / of the JobManager; Flink derives heap, managed"
    echo "# (sorting, spilling), network and metaspace from these (resolved values in conf/*-memory.txt)"
    echo "taskmanager.memory.process.size: $TM_MEMORY"
    echo "jobmanager.memory.process.size: $JM_MEMORY"
    echo "# Beam's batch jobs keep their own state on the heap: a smaller managed share than Flink's 0.4"
    echo "taskmanager.memory.managed.fraction: 0.3"
    echo "# Beam's batch jobs branch and join, so many of their exchanges are blocking, and each blocking result"
    echo "# partition takes sort-shuffle.min-buffers network buffers (512 by default) while it is written: fewer"
    echo "# per partition and a larger network share keep jobs like dedup from failing for want of buffers, also"
    echo "# when a job restarts on fewer TaskManagers and each holds twice the partitions"
    echo "taskmanager.memory.network.fraction: 0.25"
    echo "taskmanager.network.sort-shuffle.min-buffers: 64"
    echo "# spread a job's subtasks over the TaskManagers, so losing one loses a share, not everything"
    echo "cluster.evenly-spread-out-slots: true"
    echo "# a lost TaskManager is noticed within seconds on loopback, and the job restarts from its start"
    echo "heartbeat.interval: 2000"
    echo "heartbeat.timeout: 10000"
    echo "restart-strategy.type: fixed-delay"
    echo "restart-strategy.fixed-delay.attempts: 3"
    echo "restart-strategy.fixed-delay.delay: 5 s"
    echo "io.tmp.dirs: $DIR/tmp"
    echo "blob.storage.directory: $DIR/tmp/blobs"
    echo "web.tmpdir: $DIR/tmp/web"
    echo "web.upload.dir: $DIR/tmp/web"
    for line in "${EXTRA_CONF[@]+"${EXTRA_CONF[@]}"}"; do
      echo "$line"
    done
  } >"$CONF/config.yaml"
}

# The two result lines of Flink's BashJavaUtils (what flink-dist's shell scripts call): JVM flags, then -D keys.
resource_params() {
  local kind="$1" cp="$2" out
  out="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$kind" --configDir "$CONF" 2>&1)" ||
    die "Flink rejected the memory settings ($kind): $(echo "$out" | grep -m1 -i exception)"
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

launch() {
  local name="$1" main_class="$2" cp="$3" jvm_flags="$4" dynamic="$5"
  shift 5
  # shellcheck disable=SC2086  # the flags are word lists
  nohup java $jvm_flags "$MARKER" -Dlog.file="$LOGS/$name.log" -Djava.io.tmpdir="$DIR/tmp" \
    -cp "$cp" "$main_class" --configDir "$CONF" $dynamic "$@" \
    </dev/null >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

start() {
  local f
  for f in "$PIDS"/*.pid; do
    [[ -z "$(live_pid "$f")" ]] || die "a cluster is already running from $DIR (cluster.sh status; cluster.sh stop)"
  done
  port_in_use "$REST_PORT" && die "port $REST_PORT is taken (another Flink?); choose one with --rest-port="
  port_in_use "$RPC_PORT" && die "port $RPC_PORT is taken; choose one with --rpc-port="
  local cp
  cp="$(cluster_classpath)"
  rm -rf "$PIDS" "$LOGS" "$DIR/tmp"
  write_config

  local jm tm
  mapfile -t jm < <(resource_params GET_JM_RESOURCE_PARAMS "$cp")
  mapfile -t tm < <(resource_params GET_TM_RESOURCE_PARAMS "$cp")
  [[ ${#jm[@]} -ge 2 && ${#tm[@]} -ge 2 ]] || die "could not resolve the memory settings (BashJavaUtils)"
  printf 'JVM flags: %s\nresolved keys: %s\n' "${jm[0]}" "${jm[1]}" >"$CONF/jobmanager-memory.txt"
  printf 'JVM flags: %s\nresolved keys: %s\n' "${tm[0]}" "${tm[1]}" >"$CONF/taskmanager-memory.txt"

  launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "$cp" "${jm[0]}" "${jm[1]}"
  local i
  for ((i = 1; i <= TASKMANAGERS; i++)); do
    launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$cp" "${tm[0]}" "${tm[1]}" \
      -D "taskmanager.resource-id=taskmanager-$i"
  done

  # ready = the REST endpoint answers and every TaskManager has registered
  local waited=0 overview=""
  while ((waited < 180)); do
    if overview="$(rest_get "$REST_PORT" /overview)" && [[ "$overview" == *"\"taskmanagers\":$TASKMANAGERS,"* ]]; then
      break
    fi
    for f in "$PIDS"/*.pid; do
      [[ -n "$(live_pid "$f")" ]] || { stop >/dev/null; die "$(basename "$f" .pid) exited while starting; see $LOGS/"; }
    done
    sleep 1
    waited=$((waited + 1))
  done
  if ((waited >= 180)); then
    stop >/dev/null
    die "the cluster did not come up within 180 s; logs in $LOGS"
  fi
  echo "Flink cluster up: 1 JobManager, $TASKMANAGERS TaskManager(s) x $SLOTS slots, $TM_MEMORY each"
  echo "  REST and dashboard: http://localhost:$REST_PORT   (submit with --flinkMaster=localhost:$REST_PORT)"
  echo "  configuration:      $CONF/config.yaml (memory resolved in $CONF/*-memory.txt)"
  echo "  logs:               $LOGS"
  echo "  stop with:          $0 stop${DIR:+ --dir=$DIR}"
}

case "$ACTION" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  -h | --help | help) usage ;;
  *) die "unknown action '$ACTION' (start, stop or status)" ;;
esac
