#!/usr/bin/env python3
"""Every planted flaw in examples/README.md points at a real, non-blank line of the example system,
and every rule the guide says finds a flaw reports a finding on the example (when TRUSTMAP is given).
Usage: example_flaws.py SOURCE_DIR [TRUSTMAP]"""
import json
import subprocess
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written into the source tree
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
    planted = table[:table.index("## Which rule finds each flaw")] if "## Which rule finds each flaw" in table else table
    flaws = len(re.findall(r"^\| \d+ \|", planted, re.M))
    print("%d flaws, %d references, %d bad" % (flaws, len(refs), bad))
    if len(sys.argv) > 2:
        found = readme[readme.index("## Which rule finds each flaw"):]
        wanted = set(re.findall(r"TM-[A-Z]+-\d{3}", found))
        p = subprocess.run([sys.argv[2], "scan", "--format", "json", os.path.join(src, "examples", "shop")],
                           capture_output=True, text=True, check=True)
        fired = {f["rule"] for f in json.loads(p.stdout)["findings"]}
        for rule in sorted(wanted - fired):
            print("FAIL: %s is said to find a planted flaw but reports nothing on the example" % rule)
            bad += 1
        print("%d rules named for the planted flaws, %d fire" % (len(wanted), len(wanted & fired)))
    return 1 if bad or flaws < 37 or not refs else 0


if __name__ == "__main__":
    sys.exit(main())
