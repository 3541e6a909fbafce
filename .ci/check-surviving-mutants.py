#!/usr/bin/env python3
"""Fails when PIT left a mutant alive in the use cases that no comment shows to be equivalent.

Usage: check-surviving-mutants.py <mutations.xml> <source root> <package prefix>

A surviving (or uncovered) mutant in a class under the package prefix is accepted only when its source line,
or the line above it, carries a comment containing "equivalent mutant" that says why no test can tell the
mutant from the original. Everything else is listed, and the exit status is 1.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(report, source_root, prefix):
    tree = ET.parse(report)
    unexplained = []
    explained = 0
    for mutation in tree.getroot().iter("mutation"):
        status = mutation.get("status")
        if status not in ("SURVIVED", "NO_COVERAGE"):
            continue
        mutated_class = mutation.findtext("mutatedClass")
        if not mutated_class.startswith(prefix):
            continue
        line = int(mutation.findtext("lineNumber"))
        source = Path(source_root, *mutated_class.split("$")[0].split(".")[:-1], mutation.findtext("sourceFile"))
        lines = source.read_text(encoding="utf-8").splitlines()
        nearby = " ".join(lines[max(0, line - 2):line]).lower()
        if "equivalent mutant" in nearby:
            explained += 1
            continue
        unexplained.append(f"{status}: {mutated_class}.{mutation.findtext('mutatedMethod')} line {line}: "
                           f"{mutation.findtext('description')}")
    if unexplained:
        print(f"{len(unexplained)} mutant(s) survive in {prefix} without a comment showing them equivalent:")
        for entry in unexplained:
            print("  " + entry)
        return 1
    print(f"no unexplained surviving mutant in {prefix} ({explained} shown equivalent in comments)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
