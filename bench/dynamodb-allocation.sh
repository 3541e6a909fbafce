#!/usr/bin/env bash
# Requests per port allocation (counted by an SDK ExecutionInterceptor) at 10, 1,000 and 10,000 existing
# tenants, and allocation throughput against single PutItem throughput on the same local moto server.
# moto copies the whole table for every TransactWriteItems (its rollback snapshot), so its transactions slow
# down as the table grows; the last column measures that on its own, to tell it apart from the registry.
# Usage: bench/dynamodb-allocation.sh [allocations-per-size] [sizes...]   (defaults: 20, 10 1000 10000)
# Needs: Java 17, Maven, python3 with moto[server] 5.2.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
# QUICK=1: a few calls on small tables, to check the script runs to its end.
if quick && (($# == 0)); then
  set -- 3 10 100
fi

# The interpreter itself, not a version-manager shim, so that $! below is the server's own pid.
PYTHON=$("${MOTO_PYTHON:-python3}" -c 'import sys; print(sys.executable)')
ALLOCATIONS="${1:-20}"
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
java -cp "$CLASSPATH" dev.tenantprovisioner.adapters.aws.dynamodb.AllocationBenchmark \
  "http://127.0.0.1:$PORT" "$ALLOCATIONS" "$@" 2>/dev/null
