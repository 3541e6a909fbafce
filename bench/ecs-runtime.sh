#!/usr/bin/env bash
# ECS adapter latency through the real AWS SDK (url-connection client) against a stateful fake ECS
# (WireMock on 127.0.0.1; nothing leaves the machine). Measures the adapter and SDK overhead, not ECS.
# Usage: bench/ecs-runtime.sh [rounds, default 300]   (also written to bench/results/ecs-runtime.txt; QUICK=1: 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
rounds=${1:-$(quick && echo 5 || echo 300)}
maven -pl adapters-aws -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
hold_build_lock
mkdir -p bench/results
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $rounds rounds, $(machine)"
  java -Xms256m -Xmx256m \
    -cp "adapters-aws/target/test-classes:adapters-aws/target/classes:$(cat adapters-aws/target/bench-classpath.txt)" \
    dev.tenantprovisioner.adapters.aws.ecs.EcsRuntimeBench "$rounds" 2>/dev/null
} | tee bench/results/ecs-runtime.txt
