#!/usr/bin/env python3
"""The register under stress, through the CLI, on one backend.

1. Killed mid-write: scans of a system with ~1,500 findings are killed (SIGKILL) at random moments
   spread over a scan's duration, many times. After each kill the store must pass its integrity
   check, every recorded run must be whole (as many finding rows as the run says it saw), and no
   run that completed may be missing.
2. Concurrent writers: several scans at once into one store lose nothing.
3. Afterwards the register still reads: `trustmap findings` and `trustmap history` exit 0.

usage: store_reliability.py TRUSTMAP sqlite|PG_URL_FILE [KILLS]
"""
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

tm = os.path.abspath(sys.argv[1])
backend = sys.argv[2]
kills = int(sys.argv[3]) if len(sys.argv) > 3 else 40
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


tmp = tempfile.mkdtemp(prefix="trustmap-reliability.")
try:
    if backend == "sqlite":
        db_path = os.path.join(tmp, "register.db")
        store = "sqlite:" + db_path
    else:
        url = open(backend).read().strip()
        if url.startswith("skip:"):
            print("store_reliability: PostgreSQL skipped:", url[5:].strip())
            sys.exit(77)
        db = "reliability_%d" % os.getpid()
        subprocess.run(["psql", url, "-q", "-c", "CREATE DATABASE %s" % db], check=True)
        store = url.replace("/postgres?", "/%s?" % db, 1)

    # a system with many findings: 400 privileged Deployments
    system = os.path.join(tmp, "system")
    os.makedirs(system)
    with open(os.path.join(system, "workloads.yaml"), "w") as f:
        for i in range(400):
            f.write("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d, namespace: ns%d}\n"
                    "spec:\n  template:\n    spec:\n      containers:\n      - name: c\n"
                    "        image: acme/w%d:latest\n        securityContext: {privileged: true}\n" % (i, i % 20, i))

    env = dict(os.environ, TRUSTMAP_STORE=store, TRUSTMAP_ROOT="stress", TRUSTMAP_NOW="2026-11-01")

    def scan(**kw):
        return subprocess.Popen([tm, "scan", system, "-o", os.devnull], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)

    def sql(query):
        if backend == "sqlite":
            con = sqlite3.connect(db_path, timeout=60)
            try:
                return con.execute(query).fetchall()
            finally:
                con.close()
        out = subprocess.run(["psql", store, "-At", "-F", "\t", "-c", query], capture_output=True, text=True,
                             check=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def consistent(where):
        if backend == "sqlite":
            check(sql("PRAGMA integrity_check") == [("ok",)], "%s: integrity check" % where)
        broken = sql("SELECT r.id, r.findings, COUNT(f.fingerprint) FROM runs r LEFT JOIN run_findings f "
                     "ON f.run_id = r.id GROUP BY r.id, r.findings HAVING COUNT(f.fingerprint) <> r.findings "
                     "OR r.findings IS NULL")
        check(not broken, "%s: runs recorded in part: %s" % (where, broken[:3]))
        orphans = sql("SELECT COUNT(*) FROM run_findings WHERE run_id NOT IN (SELECT id FROM runs)")
        check(int(orphans[0][0]) == 0, "%s: finding rows of no run" % where)
        return int(sql("SELECT COUNT(*) FROM runs")[0][0])

    # the time a whole scan takes, recorded
    t0 = time.monotonic()
    p = scan()
    _, err = p.communicate()
    full = time.monotonic() - t0
    check(p.returncode == 0, "a scan records (%s)" % err.decode(errors="replace"))
    completed = 1
    runs = consistent("first scan")
    check(runs == 1, "one run after one scan")

    random.seed(7310)
    killed_in_time = k = 0
    # until `kills` scans were killed while running (a loaded machine makes scans slower or faster than
    # the first one measured; the cap keeps a broken timing from looping forever)
    while killed_in_time < kills and k < kills * 5:
        k += 1
        p = scan()
        time.sleep(random.uniform(0, full * 1.1))
        if p.poll() is None:
            p.kill()
            killed_in_time += 1
        else:
            full *= 0.9  # finished first: the next kill comes within a shorter window
        p.wait()
        if p.returncode == 0:
            completed += 1
        runs = consistent("after kill %d" % k)
        check(runs >= completed, "after kill %d: %d runs, but %d scans completed" % (k, runs, completed))
    check(killed_in_time == kills, "%d scans killed while running (%d tries)" % (killed_in_time, k))

    # several writers at once
    before = consistent("before the concurrent writers")
    procs = [scan() for _ in range(6)]
    codes = []
    for p in procs:
        _, err = p.communicate()
        codes.append(p.returncode)
        if p.returncode:
            print(err.decode(errors="replace"), file=sys.stderr)
    check(codes == [0] * 6, "six concurrent scans all record (%s)" % codes)
    check(consistent("after the concurrent writers") == before + 6, "six more runs, none lost")

    for cmd in (["findings", "--format", "json"], ["history", "--format", "json"]):
        p = subprocess.run([tm, *cmd, system], env=env, capture_output=True, text=True)
        check(p.returncode == 0, "%s reads the register after all that (%s)" % (cmd[0], p.stderr))
        if p.returncode == 0:
            json.loads(p.stdout)
    print("store_reliability (%s): %d scans, %d killed while running, %d completed; %s" % (
        "sqlite" if backend == "sqlite" else "postgresql", k, killed_in_time, completed,
        "%d failed" % len(failures) if failures else "ok"))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
