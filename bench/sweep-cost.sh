#!/usr/bin/env bash
# What a sweep round reads as the number of finished tenants grows (issue 14): requests and leases read when
# walking the sparse attention index (the sweep), against a Scan of every lease (the sweep before), and the requests
# of the first page of GET /tenants. Seeds 10,000 and 100,000 finished leases plus 50 needing attention.
# Usage: bench/sweep-cost.sh [needing-attention] [sizes...]   (defaults: 50, 10000 100000)
# Needs: Java 17, Maven, python3 with moto[server] 5.2.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
# QUICK=1: a few calls on small tables, to check the script runs to its end.
if quick && (($# == 0)); then
  set -- 5 100
fi

# The interpreter itself, not a version-manager shim, so that $! below is the server's own pid.
PYTHON=$("${MOTO_PYTHON:-python3}" -c 'import sys; print(sys.executable)')
STALLED="${1:-50}"
shift || true

if ! BUILD=$(maven -pl adapters-aws -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1); then
  echo "$BUILD" >&2
  exit 1
fi
CLASSPATH="adapters-aws/target/test-classes:adapters-aws/target/classes:$(cat adapters-aws/target/bench.classpath)"

hold_build_lock
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)
"$PYTHON" adapters-aws/src/test/resources/serial_moto_server.py -H 127.0.0.1 -p "$PORT" >"$LOG" 2>&1 &
MOTO=$!
trap 'kill "$MOTO" 2>/dev/null || true; wait "$MOTO" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done

echo "# $(date -u +%Y-%m-%dT%H:%MZ), moto $("$PYTHON" -c 'import moto; print(moto.__version__)') (one request at a time), $(machine)"
java -cp "$CLASSPATH" dev.tenantprovisioner.adapters.aws.dynamodb.SweepCostBenchmark \
  "http://127.0.0.1:$PORT" "$STALLED" "$@" 2>/dev/null
