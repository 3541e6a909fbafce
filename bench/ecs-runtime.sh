#!/usr/bin/env bash
# ECS adapter latency through the real AWS SDK (url-connection client) against a stateful fake ECS
# (WireMock on 127.0.0.1; nothing leaves the machine). Measures the adapter and SDK overhead, not ECS.
# Usage: bench/ecs-runtime.sh   (also written to bench/results/ecs-runtime.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/mvn.lock mvn -B -q -o -pl adapters-aws -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
mkdir -p bench/results
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(java -version 2>&1 | head -1) on $(nproc) cores"
  java -Xms256m -Xmx256m \
    -cp "adapters-aws/target/test-classes:adapters-aws/target/classes:$(cat adapters-aws/target/bench-classpath.txt)" \
    dev.tenantprovisioner.adapters.aws.ecs.EcsRuntimeBench 2>/dev/null
} | tee bench/results/ecs-runtime.txt
