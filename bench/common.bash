# Sourced by the bench scripts. Maven runs under the machine's build lock (/tmp/mvn.lock: builds that share the
# machine take turns, and timings are not disturbed by another build), offline unless MAVEN_OFFLINE is set empty
# (CI, whose fresh machine may lack a plugin the scripts use that the build itself does not).
maven() { flock /tmp/mvn.lock mvn -B -q -ntp ${MAVEN_OFFLINE--o} "$@"; }

# QUICK=1: one round of a few invocations, to check a script runs to its end and prints its figures (CI runs every
# script so); the figures of a quick run are not worth reporting.
quick() { [[ "${QUICK:-}" == 1 ]]; }

# The machine, as every figure in docs/performance.md names it.
machine() { echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"; }

# Called once the build is done: from here on the script holds the build lock, so no other Maven build on this machine
# (tests included) runs while it measures. Released when the script and what it started have exited.
hold_build_lock() {
  exec {bench_lock}>/tmp/mvn.lock
  flock "$bench_lock"
}
