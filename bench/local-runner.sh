#!/usr/bin/env bash
# Wall-clock figures of the local runner, through its HTTP API as a user meets them, against the tenant app's own
# start: the bundled demo app started by hand (same java, flags and class path as the runner starts it) until its port
# answers HTTP; then the runner with tenant databases off and on (its own PostgreSQL server): JVM start to serving,
# POST /provision to "running, email sent" (running means the tenant's link answered an HTTP request) for each
# tenant, and DELETE /tenants/{id} until the process is gone. The app's start and the signups are timed by
# bench/local-runner-client.py, one Python process with kept-alive connections (a curl per request cost 40-80 ms of
# process start on two busy cores, more than some of the steps timed) that sees a signup done by its email in the
# outbox rather than by polling the runner, whose CPU the tenant's app needs while it starts.
# Usage: bench/local-runner.sh [tenants, default 5]   (SKIP_BUILD=1 reuses the built jar; QUICK=1: 2 tenants, 2 app
#        starts; DATABASES="off on" to choose the passes)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
tenants=${1:-$(quick && echo 2 || echo 5)}
starts=$(quick && echo 2 || echo 5)
[[ "${SKIP_BUILD:-}" == 1 ]] || maven -DskipTests -pl entrypoint-local -am package
hold_build_lock
jar="$PWD/entrypoint-local/target/tenant-provisioner-local.jar"
work=$(mktemp -d)
# mktemp's folder is 0700: as root the runner would then keep its PostgreSQL cluster elsewhere (where the postgres user
# can reach it) and leave it behind; readable by others, the cluster stays in here and goes with it.
chmod 755 "$work"
runner=""
trap '[[ -z $runner ]] || { kill $runner 2>/dev/null || true; wait $runner 2>/dev/null || true; }; rm -rf "$work"' EXIT
key=bench-key-0123456789abcdef
ms() { echo $(( $(date +%s%N) / 1000000 )); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(machine), $tenants tenants per pass"

# The tenant app's own start: the demo app as TenantCommand.demoApp() starts it, until its page answers.
client=bench/local-runner-client.py
mapfile -t app_ms < <(python3 "$client" app-start "$starts" java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k \
  -Xmx48m -Xshare:auto -cp "$jar" dev.tenantprovisioner.adapters.local.demo.DemoApp)
((${#app_ms[@]} == starts)) || { echo "the tenant app did not start $starts times" >&2; exit 1; }
app_median=$(printf '%s\n' "${app_ms[@]}" | median)
echo "tenant app alone: start to answering HTTP: ${app_ms[*]} ms (median $app_median)"

api() { curl -s -H "x-api-key: $key" -H 'content-type: application/json' "$@"; }
for databases in ${DATABASES:-off on}; do
  port=$(free_port)
  mkdir -p "$work/$databases"
  t0=$(ms)
  (cd "$work/$databases" && LOCAL_DATABASE=$databases API_KEYS=$key LOCAL_HTTP_PORT=$port LOCAL_TENANT_HOST=127.0.99.1 \
    PORT_RANGE_FIRST=9100 PORT_RANGE_LAST=9199 exec java -jar "$jar" >"$work/$databases/runner.log" 2>&1) &
  runner=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    kill -0 $runner 2>/dev/null || { echo "the runner stopped:" >&2; cat "$work/$databases/runner.log" >&2; exit 1; }
    sleep 0.02
  done
  echo "databases $databases: runner JVM start to serving the landing page: $(( $(ms) - t0 )) ms"
  signup_ms=()
  while read -r tenant accepted done_ms task; do
    echo "databases $databases: tenant $tenant: POST /provision answered in $accepted ms; running, email sent, link answers after $done_ms ms"
    # The first signup also warms the runner itself; the figure compared is the median of the later ones.
    [[ $tenant == bench-1 ]] && first_task=$task || signup_ms+=("$done_ms")
  done < <(python3 "$client" signups "$port" "$key" "$tenants" 127.0.99.1 "$work/$databases/outbox")
  ((${#signup_ms[@]} == tenants - 1)) || { echo "the signups did not all finish:" >&2; cat "$work/$databases/runner.log" >&2; exit 1; }
  signup_median=$(printf '%s\n' "${signup_ms[@]}" | median)
  echo "databases $databases: signup median (tenants 2-$tenants) $signup_median ms = $(awk "BEGIN{printf \"%.2f\", $signup_median/$app_median}")x the app's own start ($app_median ms)"
  pid=${first_task##*-pid-}
  t=$(ms)
  api -X DELETE "http://127.0.0.1:$port/tenants/bench-1" >/dev/null
  while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
  echo "databases $databases: deprovision bench-1: DELETE answered and process gone after $(( $(ms) - t )) ms"
  kill $runner; wait $runner 2>/dev/null || true
  runner=""
done
