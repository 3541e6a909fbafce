#!/usr/bin/env bash
# JMH benchmark of the in-memory provision path, on one thread and on all cores. JMH runs from the bench/jmh module's
# class path, built in the reactor (nothing is installed into ~/.m2).
# Usage: bench/inmemory-provision.sh [extra JMH options]   (results also in bench/results/; QUICK=1: one short
#        iteration per thread count, no warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
maven -pl bench/jmh -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime
classpath="bench/jmh/target/classes:$(cat bench/jmh/target/bench-classpath.txt)"
if quick; then
  iterations=(-wi 0 -i 1 -r 1s)
else
  iterations=(-wi 3 -w 2s -i 5 -r 2s)
fi
hold_build_lock
mkdir -p bench/results
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(machine)"
threads=$(nproc)
for t in 1 "$threads"; do
  java -cp "$classpath" org.openjdk.jmh.Main InMemoryProvisionBenchmark \
    -f 1 "${iterations[@]}" -t "$t" -jvmArgs "-Xms2g -Xmx2g" -rf json -rff "bench/results/inmemory-provision-t$t.json" "$@"
done
