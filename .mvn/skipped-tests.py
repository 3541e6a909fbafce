#!/usr/bin/env python3
"""Lists, at the end of the build, every test this build skipped and why (the reason names what to install).

Run by the last module of the reactor (deploy-tests) at verify. It reads the surefire reports of every module that
were written in this build (after .mvn/test-servers.py marked its start), so a skip never hides in the middle of a
long log.

Usage: skipped-tests.py <project root> <target/test-servers> [<skipTests> <maven.test.skip> <maven.test.skip.exec>]
"""

import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ABORTED = ("org.opentest4j.TestAbortedException: ", "Assumption failed: ")


def reason(skipped):
    text = skipped.get("message") or (skipped.text or "").strip().splitlines()[0:1]
    text = text if isinstance(text, str) else (text[0] if text else "no reason given")
    for prefix in ABORTED:
        text = text[len(prefix):] if text.startswith(prefix) else text
    return text or "no reason given"


def main(root, servers, *skip_flags):
    if "true" in skip_flags:
        return  # no tests ran in this build, so none to list
    root, servers = Path(root), Path(servers)
    mark = servers / "build-started"
    since = mark.stat().st_mtime if mark.exists() else 0
    ran, skipped = 0, []
    for report in sorted(root.glob("*/target/surefire-reports/TEST-*.xml")):
        if report.stat().st_mtime < since:
            continue
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            ran += 1
            skip = case.find("skipped")
            if skip is not None:
                test = case.get("classname", "?").rsplit(".", 1)[-1] + "." + case.get("name", "?")
                skipped.append((report.parts[-4], test, reason(skip)))
    line = "-" * 72
    print(line)
    if not skipped:
        print(f"Tests: {ran} ran in this build, none skipped.")
    else:
        print(f"Tests: {ran} in this build, {len(skipped)} SKIPPED (they did not run here):")
        for module, test, why in skipped:
            print(f"  {module}: {test}")
            print(f"      {why}")
    print(line, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
