#!/usr/bin/env bash
# Welcome-email latency through the real resend-java SDK against a local fake api.resend.com
# (WireMock as an HTTPS proxy on 127.0.0.1; nothing leaves the machine).
# Usage: bench/resend-send.sh   (prints medians and p90s; also written to bench/results/resend-send.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/mvn.lock mvn -B -q -o -pl adapters-resend -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
mkdir -p bench/results
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(java -version 2>&1 | head -1) on $(nproc) cores"
  java -Xms256m -Xmx256m \
    -cp "adapters-resend/target/test-classes:adapters-resend/target/classes:$(cat adapters-resend/target/bench-classpath.txt)" \
    dev.tenantprovisioner.adapters.resend.ResendSendBench 2>/dev/null
} | tee bench/results/resend-send.txt
