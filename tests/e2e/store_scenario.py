#!/usr/bin/env python3
"""The register's scripted scenario, end to end through the CLI, on one backend:

  commit the example system; scan; accept a finding until a date; mark another a false positive;
  change the input (fix a privileged container, add a new privileged workload) and commit;
  review the change (diff, a proposal); rescan; let the acceptance expire; rescan.

The register (`trustmap findings`) and the history (`trustmap history`) at the end are compared
with golden files, the same for SQLite and PostgreSQL: the backends behave alike. Exit codes, the
gate's words about the expired acceptance, the time to visibility and the root key (the origin
remote's URL without its credentials) are asserted on the way.

usage: store_scenario.py TRUSTMAP SOURCE_DIR sqlite|PG_URL_FILE
TM_UPDATE_GOLDEN=1 rewrites the golden files.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

tm, src, backend = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
golden = os.path.join(src, "tests", "e2e", "store_scenario")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


tmp = tempfile.mkdtemp(prefix="trustmap-scenario.")
try:
    if backend == "sqlite":
        store = "sqlite:" + os.path.join(tmp, "register.db")
    else:
        url = open(backend).read().strip()
        if url.startswith("skip:"):
            print("store_scenario: PostgreSQL skipped:", url[5:].strip())
            sys.exit(77)
        # a database of its own, so a rerun against the same server starts empty
        db = "scenario_%d" % os.getpid()
        subprocess.run(["psql", url, "-q", "-c", "CREATE DATABASE %s" % db], check=True)
        store = url.replace("/postgres?", "/%s?" % db, 1)

    repo = os.path.join(tmp, "shop")
    shutil.copytree(os.path.join(src, "examples", "shop"), repo)
    gitenv = dict(os.environ, GIT_AUTHOR_NAME="ci", GIT_AUTHOR_EMAIL="ci@example.com",
                  GIT_COMMITTER_NAME="ci", GIT_COMMITTER_EMAIL="ci@example.com")

    def git(*args, date=None):
        env = dict(gitenv)
        if date:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)

    git("init", "-q", ".")
    git("remote", "add", "origin", "https://deploy:s3cr3t-token@git.example.com/acme/shop.git")
    git("add", "-A")
    git("commit", "-qm", "baseline", date="2026-10-30T12:00:00Z")

    def tmrun(now, *args, user="alice"):
        env = dict(os.environ, TRUSTMAP_NOW=now, TRUSTMAP_USER=user, TRUSTMAP_STORE=store)
        env.pop("TRUSTMAP_ROOT", None)
        p = subprocess.run([tm, *args], cwd=repo, env=env, capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr

    def normalised(text):
        return text.replace(store, "STORE").replace(os.path.basename(store.split("?")[0]), "STORE")

    # 1. the first scan: the baseline
    code, out, err = tmrun("2026-11-01", "scan", ".", "--format", "json")
    check(code == 0, "first scan exits 0 (%d: %s)" % (code, err))
    findings = {f["fingerprint"]: f for f in json.loads(out)["findings"]}
    # the unpinned images: one finding for the system (shop and shop-admin, a wide fold)
    ORDERS_DELETE, ADMIN_NODEPORT, ADMIN_IMAGE = "6725e9dde0ffe6a9", "72a0c28565fc126d", "dfa6738e37a8b839"
    for fp in (ORDERS_DELETE, ADMIN_NODEPORT, ADMIN_IMAGE):
        check(fp in findings, "the example has finding %s" % fp)

    # 2. decisions, and the ones refused
    code, out, err = tmrun("2026-11-01", "accept", ORDERS_DELETE, "--owner", "team-checkout", "--until", "2026-11-15",
                           "--why", "a WAF rule blocks DELETE from outside; fix planned", "--review", "2026-11-10")
    check(code == 0 and "recorded by alice" in out, "accept records (%d: %s%s)" % (code, out, err))
    code, _, err = tmrun("2026-11-01", "status", ADMIN_IMAGE, "false-positive", "--why",
                         "the admission controller rewrites tags to digests", user="bob")
    check(code == 0, "status false-positive records (%d: %s)" % (code, err))
    for args, why in [
        (["accept", "0123456789abcdef", "--owner", "x", "--until", "2026-12-01", "--why", "y"], "unknown fingerprint"),
        (["accept", ORDERS_DELETE, "--owner", "x", "--until", "2026-10-01", "--why", "y"], "expiry in the past"),
        (["accept", ORDERS_DELETE, "--owner", "x", "--until", "2026-02-30", "--why", "y"], "no such date"),
        (["accept", ORDERS_DELETE, "--owner", "x", "--until", "2026-12-01"], "no reason"),
        (["accept", ORDERS_DELETE, "--owner", "x", "--until", "2026-12-01", "--why", "y", "--review", "2027-01-01"],
         "review after expiry"),
        (["status", ORDERS_DELETE, "mitigated"], "mitigated without --why"),
        (["status", ORDERS_DELETE, "accepted", "--why", "x"], "accepted through status"),
        (["status", "XYZ", "open"], "not a fingerprint"),
    ]:
        code, _, err = tmrun("2026-11-01", *args)
        check(code == 2 and err.startswith("trustmap: "), "%s is refused with exit 2 (%d: %s)" % (why, code, err))

    # the scan now says where each decision came from
    code, out, _ = tmrun("2026-11-02", "scan", ".", "--format", "json", "--fail-on", "critical")
    f = {x["fingerprint"]: x for x in json.loads(out)["findings"]}
    check(f[ORDERS_DELETE]["status"] == "accepted" and f[ORDERS_DELETE]["decision"]["source"] == "store",
          "the accepted finding is accepted, from the store")
    check(f[ADMIN_IMAGE]["status"] == "false-positive", "the false positive is one")
    check(f["260569c74a4b8a58"]["decision"]["source"].startswith("trustmap.yaml:"),
          "the overlay's acceptance says it comes from trustmap.yaml")
    check(code == 1, "critical findings fail the gate (%d)" % code)

    # 3. a change: the admin service is no longer a NodePort; a new privileged workload arrives
    p = os.path.join(repo, "k8s", "admin.yaml")
    text = open(p).read().replace("type: NodePort", "type: ClusterIP")
    open(p, "w").write(re.sub(r"\n *nodePort: \d+", "", text))
    open(os.path.join(repo, "k8s", "reports.yaml"), "w").write(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reports, namespace: shop}\nspec:\n"
        "  template:\n    spec:\n      containers:\n      - name: reports\n"
        "        image: registry.acme.example/shop/reports:1.0\n        securityContext: {privileged: true}\n")
    git("add", "-A")
    git("commit", "-qm", "reports; admin behind the cluster", date="2026-11-03T08:00:00Z")

    # the pull request's review sees the new exposure first (a proposal: it resolves nothing)
    code, out, err = tmrun("2026-11-04", "diff", "--base", "HEAD~1", ".", "--format", "json", "--fail-on", "critical")
    check(code == 1, "the review's gate fails on the new privileged workload (%d: %s)" % (code, err))

    # 4. the rescan after the merge
    code, out, err = tmrun("2026-11-05", "scan", ".", "--format", "json")
    check(code == 0, "rescan exits 0 (%d: %s)" % (code, err))
    rescan = json.loads(out)["findings"]
    now = {x["fingerprint"] for x in rescan}
    check(ADMIN_NODEPORT not in now and ADMIN_IMAGE in now, "the fixed finding is gone, the others stay")
    # a lone finding that the new workload joined is now inside a fold (rule x namespace): its own
    # fingerprint is gone, it is listed under the fold's affected elements
    folded = {a["fingerprint"]: x for x in rescan for a in x.get("affected", [])}

    # 5. the acceptance expires: the finding is open again, and the gate says so
    code, out, err = tmrun("2026-11-20", "scan", ".", "--fail-on", "high", "-o", os.devnull)
    check(code == 1, "after the expiry the gate fails (%d)" % code)
    check("expired on 2026-11-15" in err and ORDERS_DELETE in err, "the gate names the expired acceptance: " + err)
    check(re.search(r"accepted risks? past (its|their) expiry", err) is not None, "the gate counts it: " + err)

    # the register and the history, as of the end
    code, reg_json, err = tmrun("2026-11-20", "findings", "--status", "all", "--format", "json")
    check(code == 0, "findings exits 0 (%d: %s)" % (code, err))
    reg = json.loads(reg_json)
    by = {x["fingerprint"]: x for x in reg["findings"]}
    check(reg["root"] == "https://git.example.com/acme/shop.git#.", "the root key is the remote without credentials: "
          + reg["root"])
    check(by[ADMIN_NODEPORT]["state"] == "resolved" and by[ADMIN_NODEPORT]["resolved_at"] == "2026-11-05T00:00:00Z",
          "the fixed finding was resolved by the rescan")
    resolved = [x["fingerprint"] for x in reg["findings"] if x["state"] == "resolved"]
    check(ADMIN_NODEPORT in resolved and all(fp == ADMIN_NODEPORT or fp in folded for fp in resolved),
          "only the fixed finding is resolved, besides lone findings that joined a fold: %s" % resolved)
    check(by[ORDERS_DELETE]["status"] == "open" and by[ORDERS_DELETE]["expired"], "the lapsed acceptance is open")
    check(by[ADMIN_IMAGE]["status"] == "false-positive" and by[ADMIN_IMAGE]["decision"]["recorded_by"] == "bob",
          "the decision stands, and records who made it")
    new = [x for x in reg["findings"] if x["first_seen"] == "2026-11-04T00:00:00Z"]
    # the new workload's findings: its own, and the folds it made of lone findings (rule x namespace)
    made = {folded[fp]["fingerprint"] for fp in resolved if fp in folded}
    reports = [x for x in reg["findings"] if "reports" in (x["subject"] or "") or x["fingerprint"] in made]
    check(reports and all(x in new for x in reports), "the new workload's findings were first seen by the review: %s"
          % [(x["fingerprint"], x["first_seen"], x["subject"]) for x in reports if x not in new])

    code, hist_json, _ = tmrun("2026-11-20", "history", "--format", "json")
    hist = json.loads(hist_json)
    runs = hist["runs"]
    check([(r["command"], r["proposal"]) for r in runs] ==
          [("scan", False), ("scan", False), ("diff", True), ("scan", False), ("scan", False)],
          "five runs, the third a proposal: %s" % [(r["command"], r["proposal"]) for r in runs])
    check(len(runs) == 5 and runs[2]["new"] == len(new) and runs[2]["closed"] == 0 and runs[3]["closed"] == len(resolved)
          and runs[3]["new"] == 0 and runs[4]["opened"] == 0, "opened and closed per run")
    ttv = hist["time_to_visibility"]
    # new exposure committed 2026-11-03T08:00, first seen by the review on 2026-11-04T00:00: 16 hours
    check(ttv and abs(ttv["mean_hours_at_most"] - 16) < 0.01 and abs(ttv["mean_hours_at_least"] - 16) < 0.01,
          "time to visibility 16 h: %s" % ttv)
    # per trigger: the review was the first run to see the new workload (an internal one: "changed") and
    # its findings, so 0 h from the change, and at most the 16 h since its commit
    ttf = hist["time_to_first_finding"]
    check(len(ttf) == 1 and ttf[0]["trigger"] == "changed" and ttf[0]["new_findings"] == len(new)
          and ttf[0]["mean_hours"] == 0 and abs(ttf[0]["mean_hours_at_most"] - 16) < 0.01 and ttf[0]["max_hours"] == 0,
          "time from a change to its first finding, by trigger: %s" % ttf)
    code, hist_csv, _ = tmrun("2026-11-20", "history", "--format", "csv")
    rows = hist_csv.splitlines()
    check(rows[0].endswith(",new_by_trigger,hours_from_change_by_trigger")
          and rows[3].endswith(',"changed=%d","changed=0.0"' % len(new)) and rows[4].endswith(",,"),
          "history CSV: the findings each run saw first, by trigger: %s" % rows[:5])
    check([r["inputs_changed"] for r in runs] == [None, 0, 2, 2, 0],
          "inputs changed per run: %s" % [r["inputs_changed"] for r in runs])
    code, out, _ = tmrun("2026-11-20", "history", "--run", str(runs[3]["id"]), "--format", "json")
    changes = json.loads(out)["inputs_changed"] if code == 0 else []
    check([(c["change"], c["path"]) for c in changes] == [("changed", "k8s/admin.yaml"), ("added", "k8s/reports.yaml")],
          "the rescan names the inputs it saw change: %s" % changes)
    code, stale_json, _ = tmrun("2026-12-15", "history", "--format", "json", "--stale-days", "10")
    check(json.loads(stale_json)["roots"][0]["stale"], "a root not scanned for 25 days is stale at 10")

    # nothing in the register carries the remote's credential
    for text in (reg_json, hist_json):
        check("s3cr3t" not in text, "no credential in the register")

    outputs = {
        "findings.md": tmrun("2026-11-20", "findings", "--status", "all")[1],
        "findings.csv": tmrun("2026-11-20", "findings", "--status", "all", "--format", "csv")[1],
        "history.md": tmrun("2026-12-15", "history", "--stale-days", "10")[1],
    }
    for name, text in outputs.items():
        text = normalised(text)
        path = os.path.join(golden, name)
        if os.environ.get("TM_UPDATE_GOLDEN") == "1":
            os.makedirs(golden, exist_ok=True)
            open(path, "w").write(text)
            continue
        want = open(path).read() if os.path.exists(path) else ""
        if text != want:
            a, b = want.splitlines(), text.splitlines()
            line = next((i for i in range(max(len(a), len(b))) if (a[i:i + 1] != b[i:i + 1])), 0)
            check(False, "%s differs at line %d:\n  expected: %s\n  actual:   %s" % (
                name, line + 1, a[line] if line < len(a) else "<end>", b[line] if line < len(b) else "<end>"))
    # the audit trail: every decision on the finding, oldest first, never rewritten
    code, out, _ = tmrun("2026-11-21", "status", ORDERS_DELETE, "open", "--why", "the WAF rule was removed")
    check(code == 0, "a decision taken back")
    code, out, _ = tmrun("2026-11-21", "findings", "--trail", ORDERS_DELETE, "--format", "json")
    trail = json.loads(out)["decisions"] if code == 0 else []
    check([(d["status"], d["recorded_by"], d["time"]) for d in trail] ==
          [("accepted", "alice", "2026-11-01T00:00:00Z"), ("open", "alice", "2026-11-21T00:00:00Z")],
          "the trail holds both decisions in order: %s" % trail)
    code, _, err = tmrun("2026-11-21", "findings", "--trail", "nope")
    check(code == 2, "--trail takes a fingerprint (%d)" % code)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("store_scenario (%s): %s" % ("sqlite" if backend == "sqlite" else "postgresql",
                                    "%d failed" % len(failures) if failures else "ok"))
sys.exit(1 if failures else 0)
