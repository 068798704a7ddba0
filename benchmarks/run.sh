#!/usr/bin/env bash
# Builds the benchmark jar and reruns every benchmark (quick settings, about 35 minutes on 2 quiet
# CPUs), rewriting docs/benchmark-results.md and its charts. Arguments go to the harness, e.g.
#   benchmarks/run.sh --only db          # the database items 4-7 only (reuses the last JMH results)
#   benchmarks/run.sh --only peers       # LaunchDarkly's migration API (items 8 and 9); also verify, scale
#   benchmarks/run.sh --jmh Breaker      # only the JMH benchmarks whose name matches
#   benchmarks/run.sh --full             # longer runs
# The databases: FLAGWAY_PG_URL / FLAGWAY_MYSQL_URL (and _USER, _PASSWORD), local servers by default.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
exec java -jar benchmarks/target/flagway-benchmarks.jar "$@"
