#!/usr/bin/env python3
"""trustmap against zizmor's own expectations on zizmor's test fixtures (corpus ci-workflows).

../shared/corpus/ci-workflows/_derived/zizmor_expected_findings.tsv lists, per zizmor snapshot
test, the fixture files, the audit and the line:col of each finding zizmor reports. Each fixture
workflow or action file is scanned on its own (no folding across files) and an expected finding
counts as matched when a trustmap finding of a rule mapped to that audit (AUDIT_RULES) has evidence
on the same file and line ("line"), or at least fires on that file ("file"). Rows zizmor expects
nothing from ("(none)") are the control: trustmap high/critical findings there are listed.

One tool's opinion, not ground truth: audits trustmap does not claim (obfuscation, ad-hoc packages,
trusted publishing, ...) are counted but have no rule. Prints a table by audit; exits 1 when the
line-level match count of the claimed audits falls below MINIMUM (a ratchet: raise it as rules
improve). Skips, saying so, when the corpus is absent.

Measured before the CI data-flow work (issue 21, TM-CICD-001..004 only): of 126 expected findings
of the claimed audits, 49 on a file where a mapped rule fires, 39 on the same line
(unpinned-uses 31/43, excessive-permissions 8/16, template-injection 0/31); control: 0.
After (TM-CICD-001..008, data flow, local actions): 78 on the file, 58 on the line (unpinned-uses
34, template-injection 10, excessive-permissions 8, self-hosted-runner 4, overprovisioned-secrets 2);
control: 0. Most template-injection rows left are zizmor's "help"/"info" findings on values no
outsider writes (github.repository, github.event_name, matrix values, needs.*.result, static env).
With TM-CICD-009 (insecure-commands claimed): 86 of 112 on the file, 58 on the line; trustmap
locates the variable, zizmor the `env:` above it, and an env taken from a matrix value is not read.
Usage: zizmor_compare.py TRUSTMAP CORPUS_DIR [--json OUT]"""
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written into the source tree
import collections, csv, json, subprocess, sys, tempfile

# zizmor audit -> trustmap rules that state the same fact
AUDIT_RULES = {
    "template-injection": {"TM-CICD-004", "TM-CICD-005"},
    "dangerous-triggers": {"TM-CICD-001", "TM-CICD-003"},
    "excessive-permissions": {"TM-CICD-003"},
    "undocumented-permissions": set(),
    "self-hosted-runner": {"TM-CICD-006"},
    "unpinned-uses": {"TM-CICD-002"},
    "github-env": {"TM-CICD-004", "TM-CICD-005"},
    "overprovisioned-secrets": {"TM-CICD-007"},
    "secrets-inherit": {"TM-CICD-007"},
    "artipacked": set(),
    "cache-poisoning": set(),
    "insecure-commands": {"TM-CICD-009"},
}
MINIMUM = 58  # line-level matches of the claimed audits; see the report for the measured number

TEST_DATA = "zizmor/crates/zizmor/tests/integration/test-data"


def fixture_files(root, fixtures):
    out = []
    for f in fixtures.split(";"):
        f = f.strip()
        if not f or "/configs/" in f or f.startswith("configs/"):
            continue
        full = os.path.join(root, f)
        if os.path.isdir(full):
            for d, _, names in os.walk(full):
                out += [os.path.relpath(os.path.join(d, n), root) for n in names if n.endswith((".yml", ".yaml"))]
        elif os.path.exists(full):
            out.append(f)
    return sorted(set(out))


def scan(trustmap, root, rel, cache, tmp):
    if rel in cache:
        return cache[rel]
    out = os.path.join(tmp, "r.json")
    subprocess.run([trustmap, "scan", os.path.join(root, rel), "--no-store", "--format", "json", "-o", out],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    got = []
    try:
        for fd in json.load(open(out))["findings"]:
            lines = {e["line"] for e in fd.get("evidence", [])}
            got.append((fd["rule"], fd["severity"], lines, fd["title"]))
    except (OSError, ValueError, KeyError):
        pass
    cache[rel] = got
    return got


def main():
    trustmap, corpus = sys.argv[1], sys.argv[2]
    base = os.path.join(corpus, "ci-workflows")
    table = os.path.join(base, "_derived", "zizmor_expected_findings.tsv")
    if not os.path.exists(table):
        print(f"corpus not found at '{corpus}': skipping the zizmor fixture comparison")
        return 77
    root = os.path.join(base, TEST_DATA)
    rows = list(csv.reader(open(table), delimiter="\t"))[1:]
    cache = {}
    by = collections.defaultdict(lambda: [0, 0, 0])  # audit -> expected, file match, line match
    control = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in rows:
            fixtures, audit, pos = r[2], r[5], r[7]
            files = fixture_files(root, fixtures)
            if audit == "(none)":
                for f in files:
                    for rule, sev, _, title in scan(trustmap, root, f, cache, tmp):
                        if sev in ("critical", "high"):
                            control.append(f"{f}: {rule} {sev}: {title}")
                continue
            line = int(pos.split(":")[0]) if pos and pos[0].isdigit() else None
            rules = AUDIT_RULES.get(audit, set())
            st = by[audit]
            st[0] += 1
            fm = lm = False
            for f in files:
                for rule, _, lines, _ in scan(trustmap, root, f, cache, tmp):
                    if rule in rules:
                        fm = True
                        lm = lm or (line in lines)
            st[1] += fm
            st[2] += lm
    print(f"{'audit':28} {'expected':>8} {'file':>6} {'line':>6}  rules")
    tot = [0, 0, 0]
    claimed = [0, 0, 0]
    for audit in sorted(by, key=lambda a: (-by[a][0], a)):
        e, f, l = by[audit]
        rules = ",".join(sorted(AUDIT_RULES.get(audit, set()))) or "-"
        print(f"{audit:28} {e:8} {f:6} {l:6}  {rules}")
        for i, v in enumerate((e, f, l)):
            tot[i] += v
            if AUDIT_RULES.get(audit):
                claimed[i] += v
    print(f"{'all':28} {tot[0]:8} {tot[1]:6} {tot[2]:6}")
    print(f"{'claimed audits':28} {claimed[0]:8} {claimed[1]:6} {claimed[2]:6}")
    print(f"control: {len(set(control))} high/critical findings on fixtures zizmor finds clean")
    for c in sorted(set(control)):
        print(f"  {c}")
    if "--json" in sys.argv:
        json.dump({a: dict(zip(("expected", "file", "line"), v)) for a, v in by.items()},
                  open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1, sort_keys=True)
    if claimed[2] < MINIMUM:
        print(f"FAIL: {claimed[2]} line-level matches, the ratchet is {MINIMUM}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
