"""Helpers for the Python checks of tests/regress/*/test.sh (lib.sh puts this folder on PYTHONPATH):

    python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
    import sys
    from regress import findings, rows
    r = rows(findings(*sys.argv[1:]), "TM-MESH-012")
    assert sorted(r) == ["flower", "webserver"], r
    PY

A finding that folds several workloads names each in "affected" (node, title, severity, its own
evidence); a finding that folds nothing stands for its subject alone. The helpers read both the same
way, as "members". They check nothing themselves, but never hide what they read: a missing report,
bad JSON or a missing key raises, and rows() and by_node() refuse two members with the same key
(the hand-written loops overwrote the first silently).
"""
import json

__all__ = ["report", "findings", "members", "by_node", "rows"]


def report(path):
    """The JSON report at PATH (the output of `trustmap scan --format json`)."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def findings(*paths):
    """The findings of the reports at PATHS, one list, in the order given."""
    if not paths:
        raise TypeError("findings(): no report given")
    return [f for p in paths for f in report(p)["findings"]]


def members(findings, *rules):
    """One dict per member of the findings of RULES, in order: each entry of a finding's "affected",
    or for a finding without any, {"node": its subject, "title": its title, "severity": its
    severity}. Each dict also has "finding", the finding it belongs to (its evidence list, ...)."""
    if not rules:
        raise TypeError("members(): no rule given")
    out = []
    for f in findings:
        if f["rule"] not in rules:
            continue
        for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
            out.append(dict(a, finding=f))
    return out


def _short(node):
    return node.split("/")[-1]


_KEYS = {"short": _short, "node": lambda node: node}


def by_node(findings, rule, key="short"):
    """{KEY: member} for the members of RULE (see members()). KEY is "short" (the node's last
    /-part: service:compose:default/web -> web), "node" (the whole id) or a function of the id.
    Two members with the same key are an error: key by "node" where names repeat across systems."""
    keyf = _KEYS[key] if isinstance(key, str) else key
    out = {}
    for m in members(findings, rule):
        k = keyf(m["node"])
        if k in out:
            raise AssertionError("%s: two members keyed %r: %r and %r" % (rule, k, out[k]["title"], m["title"]))
        out[k] = m
    return out


def rows(findings, rule, key="short"):
    """{KEY: (severity, title)} for the members of RULE; KEY as for by_node()."""
    return {k: (m["severity"], m["title"]) for k, m in by_node(findings, rule, key).items()}
