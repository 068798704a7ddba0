#!/usr/bin/env bash
# Builds the benchmark jar and reruns every benchmark (quick settings, about 10 minutes on 2 CPUs),
# rewriting docs/benchmark-results.md and docs/benchmarks.png. Arguments go to the harness, e.g.
#   benchmarks/run.sh --only db          # the database items only (reuses the last JMH results)
#   benchmarks/run.sh --jmh Breaker      # only the JMH benchmarks whose name matches
#   benchmarks/run.sh --full             # longer runs
# The databases: FLAGWAY_PG_URL / FLAGWAY_MYSQL_URL (and _USER, _PASSWORD), local servers by default.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
exec java -jar benchmarks/target/flagway-benchmarks.jar "$@"
