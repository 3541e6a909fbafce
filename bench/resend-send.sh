#!/usr/bin/env bash
# Welcome-email latency through the real resend-java SDK against a local fake api.resend.com
# (WireMock as an HTTPS proxy on 127.0.0.1; nothing leaves the machine).
# Usage: bench/resend-send.sh [timed sends per figure, default 200]   (prints medians and p90s; also written to
#        bench/results/resend-send.txt; QUICK=1: 5 sends)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
sends=${1:-$(quick && echo 5 || echo 200)}
maven -pl adapters-resend -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
hold_build_lock
mkdir -p bench/results
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $sends sends per figure, $(machine)"
  java -Xms256m -Xmx256m \
    -cp "adapters-resend/target/test-classes:adapters-resend/target/classes:$(cat adapters-resend/target/bench-classpath.txt)" \
    dev.tenantprovisioner.adapters.resend.ResendSendBench "$sends" 2>/dev/null
} | tee bench/results/resend-send.txt
