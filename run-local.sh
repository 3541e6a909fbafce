#!/usr/bin/env bash
# Runs tenant-provisioner on this machine, no AWS account needed: builds the local runner (Java 17 and
# Maven are all it takes) and starts it. Settings come from the environment; see the README's table.
#
# The build prints a line per module (the first one also downloads Maven's dependencies, which takes a few
# minutes); its full log goes to target/run-local-build.log. Later runs skip the build while the runner's jar is
# newer than every POM and source file, so they start in seconds. REBUILD=1 forces a build.
set -euo pipefail
cd "$(dirname "$0")"

jar=entrypoint-local/target/tenant-provisioner-local.jar
log=target/run-local-build.log

up_to_date() {
  [[ -f "$jar" && "${REBUILD:-0}" != 1 ]] || return 1
  [[ -z "$(find pom.xml ./*/pom.xml ./*/src -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

# Maven's batch output, reduced to what a person waiting wants to see.
progress() {
  awk '
    /^\[INFO\] Building .*\[[0-9]+\/[0-9]+\]$/ {
      step = $0; sub(/.*\[/, "[", step)
      name = $0; sub(/^\[INFO\] Building (tenant-provisioner :: )?/, "", name); sub(/ [0-9][^ ]* +\[.*$/, "", name)
      printf "run-local:   %s %s\n", step, name; fflush(); next
    }
    /^\[INFO\] Downloaded from / {
      downloads++
      if (downloads == 1) { print "run-local:   downloading dependencies into the local Maven repository"; fflush() }
      else if (downloads % 100 == 0) { printf "run-local:   ... %d files so far\n", downloads; fflush() }
      next
    }
    /^\[ERROR\]/ { print; fflush(); next }
    END { if (downloads) printf "run-local:   %d files downloaded into the local Maven repository\n", downloads }
  '
}

if up_to_date; then
  echo "run-local: $jar is up to date (REBUILD=1 ./run-local.sh forces a build)"
else
  echo "run-local: building the local runner (the first build downloads dependencies and takes a few minutes)"
  mkdir -p target
  started=$SECONDS
  if ! mvn -B -DskipTests -pl entrypoint-local -am package 2>&1 | tee "$log" | progress; then
    echo "run-local: the build failed; the full log is in $log" >&2
    exit 1
  fi
  echo "run-local: built in $((SECONDS - started)) s"
fi
exec java -jar "$jar" "$@"
