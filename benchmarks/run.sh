#!/usr/bin/env bash
# Runs the JMH benchmarks and writes results/<profile>.json, results/<profile>-cpu.jsonl and the
# Markdown table results/<profile>.md (figures and ratios against each baseline).
#   benchmarks/run.sh standard   everything, under 15 minutes on 2 cores
#   benchmarks/run.sh smoke      one short iteration of each benchmark (CI); fails if any throws
#   benchmarks/run.sh tasks      only the task benchmarks (TaskBench, TaskThroughputBench against
#                                db-scheduler, TaskLatencyBench with longer iterations for its
#                                percentiles, BatchClaimBench, ClaimRenewBench), about 10 minutes;
#                                writes results/tasks.md
#   benchmarks/run.sh soak       optional, not JMH: the engine on the memory store for an hour of
#                                simulated time (10,000 agents, 1,000 elections, churn); writes the
#                                table of heap and threads to results/soak.md. Extra arguments:
#                                [--store=memory|redis] [agents] [elections] [simulated minutes]
#                                (Redis: results/soak-redis.md). At most 10 real minutes.
#   benchmarks/run.sh fleet      optional, not JMH, real time: 100,000 agents beating every 5 s
#                                from one engine (FleetRun); arguments --store=postgres|redis
#                                [agents] [seconds measured]; writes results/fleet.md.
#   benchmarks/run.sh detector-reads  optional, not JMH, real time: a child JVM beats agents every
#                                5 s (default 10,000) into PostgreSQL or Redis; this JVM runs only
#                                the stall detector on the same store, reading what changed, then
#                                every agent each poll: how soon it sees a stored beat (p50/p99)
#                                and its CPU, in the same run (DetectorReadRun). Arguments
#                                --store=postgres|redis [agents] [seconds a phase]; writes
#                                results/detector-reads-<store>-<agents>.md. About 2 x (10 +
#                                seconds) after the agents registered.
#   benchmarks/run.sh grpc-load  optional, not JMH, real time: 10,000 agents beating every 1 s over
#                                BeatStreams through a HeartbeatGrpcServer (child JVM), a Watch
#                                stream's latency, server CPU per beat vs direct HeartbeatAgents
#                                (GrpcLoadRun); arguments --store=postgres|redis [agents]
#                                [seconds measured]; writes results/grpc-load-<store>[-<agents>].md
#                                and joins those present into results/grpc-load.md. Bounded in time.
#   benchmarks/run.sh task-drain  optional, not JMH: TaskDrainBench's drain of 2,000 tasks on
#                                PostgreSQL, heartbeat and db-scheduler interleaved round by round
#                                (TaskDrainRun); arguments [rounds] (8) [drain|stream] (stream:
#                                TaskThroughputBench's 500 tasks submitted one by one as they run);
#                                wall, database CPU and client CPU per task and their ratios;
#                                writes results/task-drain.md (stream: results/task-stream.md)
#   benchmarks/run.sh many-leases  optional, not JMH, real time: 10,000 leases held at once by
#                                heartbeat elect() campaigns, Redisson's lock watchdog and
#                                ShedLock's keep-alive (Redis), heartbeat and ShedLock JDBC
#                                (PostgreSQL), each side in its own JVM, one after the other;
#                                client and server CPU per lease per minute (ManyLeasesRun).
#                                Arguments [--store=redis|postgres] [--redis=private|shared]
#                                [leases] [seconds measured] (default both stores, a redis-server
#                                of its own on a free port, 10000, 60); writes results/many-leases.md
#                                (one store: many-leases-<store>.md). At most about 10 minutes
#                                a side, and exits by itself past its bound.
# Extra arguments after the profile go to JMH (for example a benchmark regex: 'RenewBench').
# Needs PostgreSQL on 127.0.0.1:5432 (db test, user postgres), MariaDB on 127.0.0.1:3306 (db test,
# user root) and Redis on 127.0.0.1:6379.
set -euo pipefail
profile="${1:-standard}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
results="$here/results"
jar="$here/target/benchmarks.jar"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The batch benchmarks time single shots: the standard profile gives them more of them (and no
# GC profiler) in a second JMH run, unless the caller chose benchmarks with arguments.
batch_opts=()
latency_opts=()
case "$profile" in
  standard) opts=(-f 1 -wi 1 -w 2s -i 2 -r 3s -prof gc)
            if [ "$#" -eq 0 ]; then
              opts+=(-e 'BatchRenewBench|BatchClaimBench|ClaimRenewBench')
              batch_opts=(-f 1 -wi 3 -i 5 'BatchRenewBench|BatchClaimBench|ClaimRenewBench')
            fi ;;
  tasks)    opts=(-f 1 -wi 1 -w 2s -i 2 -r 3s)
            if [ "$#" -eq 0 ]; then
              set -- 'TaskBench|TaskThroughputBench'
              batch_opts=(-f 1 -wi 3 -i 5 'BatchClaimBench|ClaimRenewBench')
              latency_opts=(-f 1 -wi 1 -w 2s -i 4 -r 6s 'TaskLatencyBench')
            fi ;;
  smoke)    opts=(-f 1 -wi 0 -i 1 -r 500ms -p size=100 -foe true) ;;
  soak)     opts=() ;;
  fleet)    opts=() ;;
  detector-reads) opts=() ;;
  grpc-load) opts=() ;;
  many-leases) opts=() ;;
  task-drain) opts=() ;;
  *) echo "usage: $0 [standard|smoke|tasks|soak|fleet|detector-reads|grpc-load|many-leases|task-drain] [JMH arguments...]" >&2; exit 2 ;;
esac

# Build the uber jar when it is missing or older than the sources.
if [ ! -f "$jar" ] || [ -n "$(find "$here/src" "$here/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "building $jar" >&2
  cd "$root"
  ./mvnw -q -B -DskipTests -pl benchmarks -am package
fi

mkdir -p "$results"
if [ "$profile" = soak ]; then
  out="$results/soak.md"
  if [ "${1:-}" = --store=redis ]; then out="$results/soak-redis.md"; fi
  "$java" -Xmx2g -cp "$jar" dev.heartbeat.benchmarks.Soak "$@" | tee "$out"
  exit "${PIPESTATUS[0]}"
fi
if [ "$profile" = fleet ]; then
  out="$results/fleet.md"
  if [ "${1:-}" = --store=redis ]; then out="$results/fleet-redis.md"; fi
  "$java" -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" dev.heartbeat.benchmarks.FleetRun "$@" | tee "$out"
  exit "${PIPESTATUS[0]}"
fi
if [ "$profile" = detector-reads ]; then
  store=postgres
  agents=10000
  n=0
  for a in "$@"; do
    case "$a" in --store=*) store="${a#--store=}" ;; *) n=$((n + 1)); if [ "$n" -eq 1 ]; then agents="$a"; fi ;; esac
  done
  out="$results/detector-reads-$store-$agents.md"
  # state changes are not logged: at 100,000 agents a burst of them would cost more than the reads
  "$java" -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.dev.heartbeat.core.ChangeListeners=error \
    -cp "$jar" dev.heartbeat.benchmarks.DetectorReadRun "$@" | tee "$out"
  exit "${PIPESTATUS[0]}"
fi
if [ "$profile" = grpc-load ]; then
  store=postgres
  agents=""
  for a in "$@"; do
    case "$a" in --store=*) store="${a#--store=}" ;; *) if [ -z "$agents" ]; then agents="$a"; fi ;; esac
  done
  part="$results/grpc-load-$store${agents:+-$agents}.md"
  set +e
  # the harness bounds itself; timeout is the last resort should the JVM not exit
  timeout 60m "$java" -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" \
    dev.heartbeat.benchmarks.GrpcLoadRun "$@" > "$part.tmp"
  status=$?
  set -e
  cat "$part.tmp"
  if [ "$status" -ne 0 ]; then
    echo "FAILED: GrpcLoadRun exited with $status (results/grpc-load.md left as it was)" >&2
    rm -f "$part.tmp"
    exit "$status"
  fi
  mv "$part.tmp" "$part"
  {
    echo "# gRPC load (benchmarks/run.sh grpc-load --store=postgres|redis [agents] [seconds])"
    echo
    for f in "$results"/grpc-load-redis*.md "$results"/grpc-load-postgres*.md; do
      if [ -f "$f" ]; then echo "<!-- $(basename "$f") -->"; cat "$f"; echo; fi
    done
  } > "$results/grpc-load.md"
  echo "wrote $part and $results/grpc-load.md" >&2
  exit 0
fi
if [ "$profile" = task-drain ]; then
  out="$results/task-drain.md"
  if [ "${2:-}" = stream ]; then out="$results/task-stream.md"; fi
  "$java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" \
    dev.heartbeat.benchmarks.TaskDrainRun "$@" > "$out.tmp" \
    || { status=$?; rm -f "$out.tmp"; echo "FAILED: TaskDrainRun exited with $status" >&2; exit "$status"; }
  mv "$out.tmp" "$out"
  cat "$out"
  exit 0
fi
if [ "$profile" = many-leases ]; then
  out="$results/many-leases.md"
  case "${1:-}" in
    --store=redis) out="$results/many-leases-redis.md" ;;
    --store=postgres) out="$results/many-leases-postgres.md" ;;
  esac
  "$java" -Xmx512m -cp "$jar" dev.heartbeat.benchmarks.ManyLeasesRun "$@" > "$out.tmp" \
    || { status=$?; rm -f "$out.tmp"; echo "FAILED: ManyLeasesRun exited with $status" >&2; exit "$status"; }
  mv "$out.tmp" "$out"
  cat "$out"
  exit 0
fi
json="$results/$profile.json"
cpu="$results/$profile-cpu.jsonl"
rm -f "$json" "$cpu"
start=$(date +%s)
set +e
"$java" -jar "$jar" "${opts[@]}" -rf json -rff "$json" \
  -jvmArgsAppend "-Dhb.cpu.out=$cpu" "$@" 2>&1 | tee "$results/$profile.log"
status=${PIPESTATUS[0]}
# A second (and for the tasks profile a third) JMH run, appended to the same JSON.
more() {
  "$java" -jar "$jar" "$@" -rf json -rff "$json.more" \
    -jvmArgsAppend "-Dhb.cpu.out=$cpu" 2>&1 | tee -a "$results/$profile.log"
  status=${PIPESTATUS[0]}
  if [ -s "$json.more" ]; then
    python3 -c 'import json, sys; a = json.load(open(sys.argv[1])) if open(sys.argv[1]).read().strip() else []; a += json.load(open(sys.argv[2])); json.dump(a, open(sys.argv[1], "w"), indent=2)' "$json" "$json.more"
    rm -f "$json.more"
  fi
}
if [ "$status" -eq 0 ] && [ "${#batch_opts[@]}" -gt 0 ]; then
  more "${batch_opts[@]}"
fi
if [ "$status" -eq 0 ] && [ "${#latency_opts[@]}" -gt 0 ]; then
  more "${latency_opts[@]}"
fi
set -e
echo "JMH finished in $(( $(date +%s) - start )) s with exit code $status" >&2
report=0
if [ -s "$json" ]; then
  python3 "$here/report.py" "$json" "$cpu" "$results/$profile.md" --profile "$profile" \
    --seconds "$(( $(date +%s) - start ))" > /dev/null || report=$?
  echo "wrote $results/$profile.md" >&2
fi
if [ "$status" -ne 0 ]; then
  echo "FAILED: JMH exited with $status: a benchmark threw (see $results/$profile.log)" >&2
  exit "$status"
fi
if grep -q "<failure>" "$results/$profile.log"; then
  echo "FAILED: a benchmark threw (see <failure> in $results/$profile.log)" >&2
  exit 1
fi
if [ "$report" -ne 0 ]; then
  echo "FAILED: the report found missing or empty results (see $results/$profile.md)" >&2
  exit "$report"
fi
