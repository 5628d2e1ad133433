#!/usr/bin/env bash
# Detection quality report (issues 6 and 21): phi accrual and a sweep of fixed timeouts side by
# side on one seeded stream of simulated beats, failed beats and the engine's retries, pauses of
# the agents and of the detector, and crashes; one Markdown table per scenario, with the silences
# live agents produced (the physical bound) and the goals. Options (defaults):
#   --scenario a|b|c|d|all (a: the defaults; b: --loss 0.05; c: --pause-dist exp; d: both)
#   --agents 10000 --hours 10 --interval 5s --jitter 500ms --loss 0.01 --pause 2s
#   --pause-dist fixed|exp --pause-rate 12 (per agent-hour) --crash-rate 0.01 --restart-after 120s
#   --store-latency 20ms --retry quick|backoff --max-backoff 20s --detector-pause 3s
#   --detector-pause-rate 2 (per hour) --sweep-from 8s --sweep-to 45s --seed 1
#   benchmarks/simulate.sh --scenario all
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/benchmarks.jar"
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
if [ ! -f "$jar" ]; then
  echo "missing $jar: build it with ./mvnw -B -pl benchmarks -am package -DskipTests" >&2
  exit 2
fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g -cp "$jar" dev.heartbeat.benchmarks.detection.DetectionSimulator "$@"
