#!/usr/bin/env python3
"""Recall and precision of the API rules on specs shaped like real generators' output.

Usage: score.py TRUSTMAP SRC_DIR [-v]   (-v: also each hit with the finding's title)

Each spec directory named in expected.tsv (under tests/owasp/specs/) is scanned alone with
`trustmap scan DIR --no-store --format json`: no workload serves the spec, so trustmap analyses it
under an assumed exposure, as it does for a spec found on its own in a repository. Findings are
matched to the rows by rule and operation (a folded finding lists its operations in `affected`
and `path`; each counts on its own, with its own severity).

Prints recall per OWASP category and per shape, every planted flaw missed (with what the model
holds about the operation), every quiet case that fires, and the precision of high and critical
findings (one that matches no planted row of its spec is false). Exits 1 when recall falls below
RECALL_MIN, precision below PRECISION_MIN, a quiet case not marked `known` fires, a row names an
operation the model lacks, or a spec does not read cleanly.
"""
import collections
import json
import os
import re
import subprocess
import sys

# Pinned a little below what the binary achieves (62 of 72 planted flaws, 0.861; high/critical
# precision 15 of 16, 0.94). Raise them when a miss is fixed; never lower them to make a change pass.
RECALL_MIN = 0.95
PRECISION_MIN = 0.95

CATEGORIES = {
    "API1": "broken object level authorization",
    "API2": "broken authentication",
    "API3": "broken object property level authorization",
    "API4": "unrestricted resource consumption",
    "API5": "broken function level authorization",
    "API6": "unrestricted access to sensitive business flows",
    "API7": "server side request forgery",
    "API8": "security misconfiguration",
    "API9": "improper inventory management",
}

# What the model holds that each rule reads: printed beside a miss or a false positive.
FACTS = {
    "TM-API-001": ["anonymous", "security_source", "sensitive_response"],
    "TM-API-002": ["object_ids"],
    "TM-API-003": ["scopes"],
    "TM-API-004": ["anonymous", "security"],
    "TM-API-005": ["deprecated"],
    "TM-API-006": ["privileged_writable"],
    "TM-API-007": ["sensitive_response"],
    "TM-API-008": ["page_params", "unbounded_counts", "page_fields", "returns_list"],
    "TM-API-009": ["url_inputs"],
    "TM-API-010": ["anonymous"],
    "TM-API-011": ["identity_headers"],
    "TM-API-012": ["auth_schemes", "url_credentials"],
    "TM-API-013": ["anonymous", "rate_limited_documented", "url_credentials"],
    "TM-API-014": ["security", "scopes", "tags"],
    "TM-BIZ-001": ["unbounded_numbers"],
    "TM-BIZ-002": ["idempotency_keys"],
    "TM-BIZ-003": ["privileged_writable", "privileged_in_items"],
}

ENDPOINT = re.compile(r"^endpoint:.*?/([A-Z]+) (\S.*)$")
Row = collections.namedtuple("Row", "line shape spec method path rule category quiet known")


def read_rows(path):
    rows = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#") or line.startswith("shape\t"):
            continue
        f = line.split("\t")
        f += [""] * (8 - len(f))
        if len(f) != 8 or not f[5].startswith("API") or (f[4] == "-") != bool(f[6]) or f[7] not in ("", "known"):
            sys.exit("%s:%d: malformed row: %r" % (path, n, line))
        rows.append(Row(n, *f))
    return rows


def op_of(node_id):
    m = ENDPOINT.match(node_id or "")
    return (m.group(1), m.group(2)) if m else None


def units(finding):
    """(rule, (method, path), severity, title) for each operation a finding is about."""
    rule, sev, title = finding["rule"], finding["severity"], finding["title"]
    if finding.get("affected"):
        for a in finding["affected"]:
            if op_of(a["node"]):
                yield rule, op_of(a["node"]), a.get("severity", sev), a.get("title", title)
    elif op_of(finding.get("subject")):
        yield rule, op_of(finding["subject"]), sev, title
    else:
        for p in finding.get("path", []):
            if op_of(p):
                yield rule, op_of(p), sev, title


def scan(trustmap, directory):
    env = dict(os.environ, TRUSTMAP_STORE="none")
    p = subprocess.run([trustmap, "scan", directory, "--no-store", "--format", "json", "-q"],
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit("FAIL: trustmap scan %s exited %d\n%s" % (directory, p.returncode, p.stderr))
    return json.loads(p.stdout)


def pct(a, b):
    return "%3d/%-3d %5.1f%%" % (a, b, 100.0 * a / b) if b else "  -"


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = len(args) < len(sys.argv) - 1
    if len(args) != 2:
        sys.exit(__doc__)
    trustmap, src = args
    here = os.path.join(src, "tests", "owasp")
    if not os.path.isdir(here):
        here = src
    specs = os.path.join(here, "specs")
    rows = read_rows(os.path.join(here, "expected.tsv"))
    bad = []

    # one scan per spec directory
    report, ops, fired = {}, {}, {}
    for spec in sorted({r.spec for r in rows}):
        d = os.path.dirname(os.path.join(specs, spec))
        if d in report:
            continue
        report[d] = doc = scan(trustmap, d)
        base = os.path.basename(spec)
        if not any(i["path"] == base and i.get("modelled") for i in doc["inputs"]):
            bad.append("%s: not read as a modelled input" % spec)
        for diag in doc["diagnostics"]:
            bad.append("%s: diagnostic %s" % (os.path.dirname(spec), diag))
        ops[d] = {(n["method"], n["path"]): n for n in doc["model"]["nodes"]
                  if n["kind"] == "endpoint" and "method" in n}
        fired[d] = [u for f in doc["findings"] for u in units(f)]

    def facts(d, op, rule):
        n = ops[d].get(op, {})
        return ", ".join("%s=%s" % (k, json.dumps(n[k])) for k in FACTS.get(rule, []) if k in n) or "no fact set"

    planted = [r for r in rows if r.rule != "-"]
    quiet = [r for r in rows if r.rule == "-"]
    hit, misses = [], []
    for r in planted:
        d, op = os.path.dirname(os.path.join(specs, r.spec)), (r.method, r.path)
        if op not in ops[d]:
            bad.append("expected.tsv:%d: %s %s is not an operation of %s" % (r.line, r.method, r.path, r.spec))
        found = [u for u in fired[d] if u[0] == r.rule and u[1] == op]
        (hit if found else misses).append(r)
        if found and verbose:
            print("hit  %-4s %-10s %-8s %s [%s]" % (r.category, r.rule, found[0][2], found[0][3], r.spec))

    # recall per category and per shape
    print("recall per OWASP API Top 10 (2023) category")
    for cat in sorted({r.category for r in planted}):
        n = [r for r in planted if r.category == cat]
        print("  %-5s %-50s %s" % (cat, CATEGORIES.get(cat, ""), pct(sum(r in hit for r in n), len(n))))
    print("recall per shape")
    for shape in sorted({r.shape for r in planted}):
        n = [r for r in planted if r.shape == shape]
        print("  %-56s %s" % (shape, pct(sum(r in hit for r in n), len(n))))
    recall = len(hit) / len(planted)
    print("recall: %s (minimum %.2f)" % (pct(len(hit), len(planted)), RECALL_MIN))

    print("\nmisses (%d)" % len(misses))
    for r in misses:
        d = os.path.dirname(os.path.join(specs, r.spec))
        print("  %-4s %-10s %s %s %s [%s]\n         the model holds: %s" % (
            r.category, r.rule, r.shape, r.method, r.path, r.spec, facts(d, (r.method, r.path), r.rule)))

    # quiet cases
    fp, known_fp, now_quiet = [], [], []
    for r in quiet:
        d, op = os.path.dirname(os.path.join(specs, r.spec)), (r.method, r.path)
        if r.path.startswith("/") and op not in ops[d]:
            bad.append("expected.tsv:%d: %s %s is not an operation of %s" % (r.line, r.method, r.path, r.spec))
        fires = any(u[0] == r.quiet and u[1] == op for u in fired[d])
        if fires:
            (known_fp if r.known else fp).append(r)
        elif r.known:
            now_quiet.append(r)
    print("\nquiet cases: %d, firing %d (%d known)" % (len(quiet), len(fp) + len(known_fp), len(known_fp)))
    for r in fp + known_fp:
        d = os.path.dirname(os.path.join(specs, r.spec))
        print("  %s %-4s %-10s %s %s %s [%s]\n         the model holds: %s" % (
            "known" if r.known else "FAIL ", r.category, r.quiet, r.shape, r.method, r.path, r.spec,
            facts(d, (r.method, r.path), r.quiet)))
    for r in now_quiet:
        print("  quiet now: expected.tsv:%d %s %s %s; drop its `known` mark" % (r.line, r.quiet, r.method, r.path))

    # precision of high and critical findings
    truth = {(os.path.dirname(os.path.join(specs, r.spec)), r.rule, (r.method, r.path)) for r in planted}
    severe = [(d, u) for d in fired for u in fired[d] if u[2] in ("high", "critical")]
    false = [(d, u) for d, u in severe if (d, u[0], u[1]) not in truth]
    precision = 1.0 - len(false) / len(severe) if severe else 1.0
    print("\nhigh/critical precision: %s (minimum %.2f)" % (pct(len(severe) - len(false), len(severe)), PRECISION_MIN))
    for d, (rule, op, sev, _) in false:
        print("  false %-8s %-10s %s %s [%s]" % (sev, rule, op[0], op[1], os.path.relpath(d, specs)))
    every = sum(len(v) for v in fired.values())
    print("all findings (per operation): %d, on planted rows %d" % (
        every, sum(1 for d in fired for u in fired[d] if (d, u[0], u[1]) in truth)))

    for b in bad:
        print("FAIL: " + b)
    fail = bool(bad) or bool(fp) or recall < RECALL_MIN or precision < PRECISION_MIN
    if recall < RECALL_MIN:
        print("FAIL: recall %.3f is below %.2f" % (recall, RECALL_MIN))
    if precision < PRECISION_MIN:
        print("FAIL: high/critical precision %.3f is below %.2f" % (precision, PRECISION_MIN))
    if fp:
        print("FAIL: %d quiet case(s) fire" % len(fp))
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
