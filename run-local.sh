#!/usr/bin/env bash
# Runs tenant-provisioner on this machine, no AWS account needed: builds the local runner (Java 17 and
# Maven are all it takes) and starts it. Settings come from the environment; see the README's table.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests -pl entrypoint-local -am package
exec java -jar entrypoint-local/target/tenant-provisioner-local.jar "$@"
