#!/usr/bin/env bash
# JMH benchmark of the in-memory provision path, on one thread and on all cores.
# Usage: bench/inmemory-provision.sh [extra JMH options]   (results also in bench/results/)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl adapters-inmemory -am install -DskipTests
mvn -B -q -f bench/jmh/pom.xml package
mkdir -p bench/results
threads=$(nproc)
for t in 1 "$threads"; do
  java -jar bench/jmh/target/benchmarks.jar InMemoryProvisionBenchmark \
    -f 1 -wi 3 -w 2s -i 5 -r 2s -t "$t" -jvmArgs "-Xms2g -Xmx2g" -rf json -rff "bench/results/inmemory-provision-t$t.json" "$@"
done
