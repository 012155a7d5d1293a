#!/usr/bin/env python3
"""Every planted flaw in examples/README.md points at a real, non-blank line of the example system.
Usage: example_flaws.py SOURCE_DIR"""
import os
import re
import sys


def main():
    src = sys.argv[1]
    readme = open(os.path.join(src, "examples", "README.md")).read()
    table = readme[readme.index("## Planted flaws"):]
    refs = re.findall(r"`(shop/[^`:]+):(\d+)`", table)
    bad = 0
    for path, line in refs:
        full = os.path.join(src, "examples", path)
        if not os.path.exists(full):
            print("FAIL: %s does not exist" % path)
            bad += 1
            continue
        lines = open(full).read().split("\n")
        n = int(line)
        if n < 1 or n > len(lines) or not lines[n - 1].strip():
            print("FAIL: %s:%d is past the end or blank" % (path, n))
            bad += 1
    flaws = len(re.findall(r"^\| \d+ \|", table, re.M))
    print("%d flaws, %d references, %d bad" % (flaws, len(refs), bad))
    return 1 if bad or flaws < 35 or not refs else 0


if __name__ == "__main__":
    sys.exit(main())
