#!/usr/bin/env bash
# What the database step adds to a provision: the PostgreSQL adapter's calls (ensure new, ensure repeat, remove) and
# whole provisions with and without a database, on a PostgreSQL server of this machine's binaries started for the run
# (as the postgres user when run as root). Everything on loopback.
# Usage: bench/tenant-database.sh [tenants, default 40]   (also written to bench/results/tenant-database.txt; QUICK=1: 3)
# Needs: Java 17, Maven, PostgreSQL 15+ server binaries (Debian: apt-get install postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.bash
tenants=${1:-$(quick && echo 3 || echo 40)}
maven -pl adapters-postgres -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
hold_build_lock
mkdir -p bench/results
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $tenants tenants, $(machine), $(/usr/lib/postgresql/*/bin/postgres --version 2>/dev/null | tail -1)"
  java -Xms256m -Xmx256m \
    -cp "adapters-postgres/target/test-classes:adapters-postgres/target/classes:$(cat adapters-postgres/target/bench-classpath.txt)" \
    dev.tenantprovisioner.adapters.postgres.TenantDatabaseBench "$tenants" 2>/dev/null
} | tee bench/results/tenant-database.txt
