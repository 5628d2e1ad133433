#!/usr/bin/env bash
# Detection quality report (issue 6): phi accrual and a fixed timeout side by side on one seeded
# stream of simulated beats, losses, GC pauses and crashes. Prints the parameters and a Markdown
# table. Options (defaults): --agents 10000 --hours 10 --interval 5s --jitter 500ms --loss 0.01
#   --pause 2s --pause-dist fixed|exp --pause-rate 12 (per agent-hour) --crash-rate 0.01
#   --restart-after 120s --store-latency 20ms --fixed-suspect 15s --fixed-dead 27s --seed 1
#   benchmarks/simulate.sh --loss 0.05 --pause-dist exp
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/benchmarks.jar"
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
if [ ! -f "$jar" ]; then
  echo "missing $jar: build it with ./mvnw -B -f benchmarks/pom.xml package -DskipTests" >&2
  exit 2
fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx1g -cp "$jar" dev.heartbeat.benchmarks.detection.DetectionSimulator "$@"
