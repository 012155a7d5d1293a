#!/usr/bin/env python3
"""The house's layering: a room includes only headers of its own room and of the rooms below it.

Usage: layering.py SOURCE_DIR. Rooms, lowest first (docs/internals/): util, parse, render, model, ingest,
analyze, rules, analysis, then report and store side by side, serve, cli. Public headers in
include/trustmap/ belong to the room that implements them. Prints each violation and a closing
'N passed, N failed' line.
"""
import os
import re
import sys

SRC = sys.argv[1]
RANK = {"util": 0, "parse": 1, "render": 2, "model": 3, "ingest": 4, "analyze": 5, "rules": 6, "analysis": 7,
        "report": 8, "store": 8, "serve": 9, "cli": 10}
PUBLIC = {"common.h": "util", "doc.h": "parse", "model.h": "model", "scan.h": "ingest", "git.h": "ingest",
          "query.h": "analyze", "paths.h": "analyze", "findings.h": "rules", "analysis.h": "analysis",
          "delta.h": "analysis", "register.h": "store", "store.h": "store", "report.h": "report",
          "serve.h": "serve"}
# report and store sit side by side: the register's records (register.h) are data both print and keep
SIDE_BY_SIDE = {("report", "store")}

failures = []
checked = 0
for room in RANK:
    d = os.path.join(SRC, "src", room)
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if not name.endswith((".c", ".h", ".def")):
            continue
        path = os.path.join(d, name)
        for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            inc = m.group(1)
            if inc.startswith("trustmap/"):
                target = PUBLIC.get(inc.split("/", 1)[1])
            elif "/" in inc:
                target = inc.split("/", 1)[0]
            else:
                target = room  # a header of its own room
            checked += 1
            if target is None:
                failures.append(f"src/{room}/{name}:{n}: {inc} belongs to no known room")
            elif target in RANK and RANK[target] > RANK[room] and (room, target) not in SIDE_BY_SIDE:
                failures.append(f"src/{room}/{name}:{n}: {room} includes {inc} ({target}, a room above it)")
# analyze and rules: one way only (rules read analyze; analyze never reads rules)
for f in failures:
    print("FAIL " + f)
print(f"{checked} includes checked")
print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
sys.exit(1 if failures else 0)
