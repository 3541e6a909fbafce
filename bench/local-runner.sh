#!/usr/bin/env bash
# Wall-clock figures of the local runner, through its HTTP API as a user meets them: JVM start to
# serving, POST /provision to "running with the email in the outbox" for each tenant (polling every
# 20 ms, as fast as a page could), and DELETE /tenants/{id} until the process is gone.
# Usage: bench/local-runner.sh [tenants, default 5]   (set SKIP_BUILD=1 to reuse the built jar; QUICK=1: 1 tenant)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
tenants=${1:-$(quick && echo 1 || echo 5)}
[[ "${SKIP_BUILD:-}" == 1 ]] || maven -DskipTests -pl entrypoint-local -am package
hold_build_lock
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
key=bench-key-0123456789abcdef
ms() { echo $(( $(date +%s%N) / 1000000 )); }

t0=$(ms)
(cd "$work" && LOCAL_DATABASE=off API_KEYS=$key LOCAL_HTTP_PORT=$port LOCAL_TENANT_HOST=127.0.99.1 PORT_RANGE_FIRST=9100 PORT_RANGE_LAST=9199 \
  exec java -jar "$OLDPWD/entrypoint-local/target/tenant-provisioner-local.jar" >"$work/runner.log" 2>&1) &
runner=$!
trap 'kill $runner 2>/dev/null || true; wait $runner 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.02; done
echo "runner: JVM start to serving the landing page: $(( $(ms) - t0 )) ms"

api() { curl -s -H "x-api-key: $key" -H 'content-type: application/json' "$@"; }
for i in $(seq 1 "$tenants"); do
  t=$(ms)
  api -X POST "http://127.0.0.1:$port/provision" -d "{\"userId\":\"bench-$i\",\"email\":\"b$i@example.com\"}" >/dev/null
  accepted=$(( $(ms) - t ))
  until api "http://127.0.0.1:$port/tenants/bench-$i" | grep -q '"state":"running".*"notification":"sent"'; do sleep 0.02; done
  echo "tenant bench-$i: POST /provision answered in $accepted ms; running with email sent after $(( $(ms) - t )) ms"
done
pid=$(api "http://127.0.0.1:$port/tenants/bench-1" | sed -E 's/.*"taskId":"local-[0-9]+-pid-([0-9]+)".*/\1/')
t=$(ms)
api -X DELETE "http://127.0.0.1:$port/tenants/bench-1" >/dev/null
while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
echo "deprovision bench-1: DELETE answered and process gone after $(( $(ms) - t )) ms"
echo "machine: $(machine)"
