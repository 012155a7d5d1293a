#!/usr/bin/env python3
"""Runtime maps of the shared corpus (service-maps/).

1. Every export of observed traffic is recognised, scanning never crashes, and the figures are
   printed (files recognised, calls, services mapped or not). The files the corpus lists as service
   maps or traces are expected to be recognised, except four that hold no observations in an export
   format: an Elasticsearch query and a bulk request of Jaeger's storage tests, Jaeger's internal
   domain model, and an OTLP request (traces, not a service map).
2. Golden edges: each Zipkin, Kiali and Hubble export is scanned alone (--no-store -f json) and the
   `calls` edges with an `observed` attribute (from and to node ids, `observed_calls`) must equal
   the edges the corpus' own tables list (_derived/{zipkin_trace,kiali_graph,hubble_flow}_edges.tsv,
   written from the upstream files, not by trustmap), once the documented mapping is applied
   (docs/inputs.md, "Runtime maps"). Every row of a table that yields no edge, or shares its edge
   with another row, is counted under a stated reason and the counts are printed per file:

   zipkin  direct: the table uses the same three rules (parentId, CLIENT/PRODUCER remote,
           SERVER/CONSUMER remote) and tracer names; rows of one pair under several rules add up
           to one edge. Difference: a service calling itself is no edge (it crosses no boundary).
   kiali   one edge per graph edge; an end is its node's `workload` where the node names one
           (the table writes app[:version]), else the app, else the Service (a dotted or
           ServiceEntry Service is the host external:<name>); the cluster is not part of a name,
           so the same pair seen in two clusters (multicluster graphs) is one edge counting both,
           and so are two protocols between one pair. Differences: nodes in namespace `unknown`
           and box/unknown nodes are no ends (outside the mesh); self-calls.
   hubble  the table groups flows by app label (namespace/k8s:app, else the reserved identity,
           else the pod), the model by workload (the pod less its ReplicaSet and pod hashes), so
           the test regroups the export's own flows (after checking that they add up to the
           table's rows) by the documented rules: replies, DROPPED, L7 responses, reserved
           infrastructure identities, traffic from reserved:world and endpoints with neither a
           namespace nor a pod (a remote pod known by its labels only) are no calls; a world
           destination is external:<destination_names[0] | URL host | IP>.

   A missing or extra edge fails unless KNOWN_BUGS below names it: those are mismatches that are
   bugs in src/ingest/runtime*.c, printed as such on every run; once fixed, the test fails until
   the entry is removed (so the fix is seen).
Exit 77 (skipped) when the corpus is absent.
Usage: runtime_corpus.py TRUSTMAP CORPUS_DIR"""
import collections
import csv
import json
import os
import re
import subprocess
import sys

os.environ.setdefault("TRUSTMAP_STORE", "none")

NOT_EXPORTS = {
    "jaeger/internal/storage/v2/elasticsearch/depstore/testdata/get_dependencies.json",
    "jaeger/internal/storage/v2/elasticsearch/depstore/testdata/write_dependencies.json",
    "jaeger/internal/uimodel/converter/v1/json/fixtures/domain_01.json",
    "jaeger/cmd/jaeger/internal/extension/jaegerquery/internal/fixture/otlp2jaeger-in.json",
}

# Mismatches that are bugs in trustmap, not in the expectation (see the docstring). Each names the
# rule the expectation follows; expected_* below compute both the right edges and the edges with the
# bug, and the run passes on either, printing the bug when it shows.
KNOWN_BUGS = {}

K8S_HASH = set("bcdfghjklmnpqrstvwxz2456789")


def scan_edges(trustmap, root, path):
    """The observed calls edges of one export scanned alone: {(from, to): calls}, and the notes."""
    p = subprocess.run([trustmap, "scan", "--no-store", "-f", "json", os.path.join(root, path)],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("scan of %s exited %d: %s" % (path, p.returncode, p.stderr[-300:]))
    d = json.loads(p.stdout)
    edges = collections.Counter()
    for e in d["model"]["edges"]:
        if e["kind"] == "calls" and "observed" in e:
            edges[(e["from"], e["to"])] += int(e.get("observed_calls", "0"))
    notes = [g["message"] for g in d["diagnostics"] if g["message"].startswith("runtime map")]
    return edges, notes


def obs(ns, name):
    return "service:observed:%s/%s" % (ns, name) if ns else "service:observed:" + name


def read_tsv(root, name):
    with open(os.path.join(root, "_derived", name)) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by = collections.defaultdict(list)
    for r in rows:
        by[r["file"]].append(r)
    return by


class Why(collections.Counter):
    """Rows of a table that yield no edge of their own, by reason."""

    def text(self):
        return ", ".join("%d %s" % (n, k) for k, n in sorted(self.items())) or "none"


# ---- zipkin ------------------------------------------------------------------------------------

def expected_zipkin(root, path, rows):
    exp, why = collections.Counter(), Why()
    pairs = collections.Counter((r["from"], r["to"]) for r in rows)
    for r in rows:
        if r["from"] == r["to"]:
            why["self-call rows (%s spans)" % r["count"]] += 1
            continue
        exp[(obs(None, r["from"]), obs(None, r["to"]))] += int(r["count"])
    why.update({"rows of one pair under another rule": sum(n - 1 for (a, b), n in pairs.items()
                                                           if n > 1 and a != b)})
    return exp, exp, why, set()


# ---- kiali -------------------------------------------------------------------------------------

def kiali_table_name(d):
    """The node's name as the table writes it: cluster/namespace/x[nodeType]."""
    t = d.get("nodeType")
    if t == "service":
        x = d.get("service")
    elif t == "app":
        x = d["app"] + (":" + d["version"] if d.get("version") and d.get("workload") else "")
        if "version" not in d and d.get("workload"):
            x = d["app"]
    elif t == "box":
        x = d.get("app") or d.get("namespace")
    else:
        x = d.get("workload") or d.get("app") or d.get("namespace")
    return "%s/%s/%s[%s]" % (d.get("cluster"), d.get("namespace"), x, t)


def kiali_end(d, with_bug):
    """The model's node for a Kiali node (None: no end), as docs/inputs.md maps it."""
    t, ns = d.get("nodeType"), d.get("namespace")
    svc = d.get("service")
    if t == "service" and svc and ns == "unknown" and not with_bug and "." in svc \
            and svc != "unknown":
        return "external:" + svc  # a host no registry knows: egress all the same
    if not t or not ns or ns == "unknown":
        return None
    if d.get("workload") and t in ("workload", "app"):
        return obs(ns, d["workload"])
    if d.get("app") and t == "app":
        return obs(ns, d["app"])
    if svc and t == "service":
        return "external:" + svc if d.get("isServiceEntry") or "." in svc else obs(ns, svc)
    return None


def expected_kiali(root, path, rows):
    with open(os.path.join(root, path)) as f:
        g = json.load(f)
    nodes = {}
    for n in g["elements"]["nodes"]:
        nodes.setdefault(kiali_table_name(n["data"]), []).append(n["data"])
    out, bugs = [], set()
    for with_bug in (False, True):
        exp, why, seen = collections.Counter(), Why(), collections.Counter()
        for r in rows:
            ends = []
            for k in ("source", "target"):
                ds = nodes.get(r[k])
                if not ds:
                    raise RuntimeError("%s: the table's node %s is no node of the export" % (path, r[k]))
                ends.append({kiali_end(d, with_bug) for d in ds})
            (f,), (t,) = ends  # same-named nodes map the same way
            if f is None or t is None:
                why["rows from or to a node outside the mesh"] += 1
            elif f == t:
                why["self-call rows"] += 1
            else:
                seen[(f, t)] += 1
                exp[(f, t)] += 1
        why["rows merged into another's edge (other cluster or protocol)"] = \
            sum(n - 1 for n in seen.values() if n > 1)
        out.append((exp, why))
    if out[0][0] != out[1][0]:
        bugs.add("kiali-unknown-host")
    return out[0][0], out[1][0], out[0][1], bugs


# ---- hubble ------------------------------------------------------------------------------------

def labels_of(ep):
    return ep.get("labels") or []


def label(ep, prefix):
    return next((l[len(prefix):] for l in labels_of(ep) if l.startswith(prefix)), None)


def hubble_table_end(ep):
    """The table's name for an endpoint: namespace/app label, else reserved identity, else pod."""
    x = label(ep, "k8s:app=") or next((l[len("reserved:"):] for l in labels_of(ep)
                                       if l.startswith("reserved:")), None) or ep.get("pod_name", "")
    return "%s/%s" % (ep.get("namespace", ""), x)


def pod_base(pod, strict):
    parts = pod.split("-")
    for rnd, (lo, hi) in enumerate(((1, 5), (6, 10))):
        if len(parts) < 2:
            break
        s = parts[-1]
        ok = lo <= len(s) <= hi and re.fullmatch(r"[a-z0-9]+", s)
        if ok and strict and rnd == 1 and not (set(s) <= K8S_HASH or s.isdigit()):
            ok = False
        if not ok:
            break
        parts.pop()
    return "-".join(parts)


INFRA = "node or cluster infrastructure (reserved identity)"


def hubble_end(flow, ep, dst, strict):
    ns, pod = ep.get("namespace"), ep.get("pod_name")
    wl = (ep.get("workloads") or [{}])[0].get("name")
    if ns and (wl or pod):
        return obs(ns, wl or pod_base(pod, strict)), None
    if "reserved:world" in labels_of(ep):
        if not dst:
            return None, "traffic from reserved:world"
        host = (flow.get("destination_names") or [None])[0]
        if not host:
            m = re.match(r"[a-z]+://([^:/?#]+)", ((flow.get("l7") or {}).get("http") or {}).get("url", ""))
            host = m.group(1) if m else None
        return "external:" + (host or flow.get("IP", {}).get("destination")), None
    app = label(ep, "k8s:app=") or label(ep, "k8s:app.kubernetes.io/name=")
    if ns and app:
        return obs(ns, app), None
    if app and label(ep, "k8s:io.kubernetes.pod.namespace="):
        # a pod on another node: Cilium gives its identity's labels, no namespace field or pod
        # name; trustmap passes it over under INFRA's reason (the same connection's EGRESS flow,
        # when captured, makes the edge)
        return None, "flows from a remote pod known only by its labels (counted as infrastructure)"
    return None, INFRA


def expected_hubble(root, path, rows):
    flows = []
    with open(os.path.join(root, path)) as f:
        for line in f:
            if line.strip():
                v = json.loads(line)
                flows.append(v.get("flow", v))
    # the export's flows add up to the table's rows: the regrouping below reads the same flows
    mine = collections.Counter((hubble_table_end(fl.get("source", {})), hubble_table_end(fl.get("destination", {})),
                                fl.get("verdict"), str(bool(fl.get("is_reply")))) for fl in flows)
    theirs = collections.Counter()
    for r in rows:
        theirs[(r["source"], r["destination"], r["verdict"], r["is_reply"])] += int(r["count"])
    if mine != theirs:
        raise RuntimeError("%s: the export's flows no longer add up to hubble_flow_edges.tsv: %s"
                           % (path, sorted(set(mine.items()) ^ set(theirs.items()))[:4]))
    out = []
    for strict in (True, False):
        exp, why = collections.Counter(), Why()
        for fl in flows:
            l7type = (fl.get("l7") or {}).get("type")
            if fl.get("is_reply"):
                why["replies"] += 1
            elif fl.get("verdict") not in ("FORWARDED", "REDIRECTED"):
                why["flows with verdict %s" % fl.get("verdict")] += 1
            elif l7type and l7type != "REQUEST":
                why["L7 responses"] += 1
            else:
                f, w = hubble_end(fl, fl.get("source", {}), False, strict)
                t, w2 = (None, None) if w else hubble_end(fl, fl.get("destination", {}), True, strict)
                if w or w2:
                    why[w or w2] += 1
                elif f == t:
                    why["self-calls"] += 1
                else:
                    exp[(f, t)] += 1
        out.append((exp, why))
    (right, why), (buggy, _) = out
    groups = collections.defaultdict(set)
    for fl in flows:
        for k in ("source", "destination"):
            e, _ = hubble_end(fl, fl.get(k, {}), k == "destination", True)
            if e:
                groups[hubble_table_end(fl.get(k, {}))].add(e)
    split = sorted("%s -> %d" % (k, len(v)) for k, v in groups.items() if len(v) > 1)
    if split:
        why["table ends split into several workloads or hosts (%s)" % "; ".join(split)] = len(split)
    return right, buggy, why, {"pod-hash"} if right != buggy else set()


FORMATS = (("zipkin_trace_edges.tsv", "zipkin/", expected_zipkin),
           ("kiali_graph_edges.tsv", "kiali/", expected_kiali),
           ("hubble_flow_edges.tsv", "hubble/", expected_hubble))


def fmt_edges(c):
    return ", ".join("%s -> %s (%d)" % (a, b, n) for (a, b), n in sorted(c.items()))


def golden_edges(trustmap, root, rows, failed):
    exports = {r["path"] for r in rows}
    shown = set()
    for table, prefix, expected in FORMATS:
        if not os.path.exists(os.path.join(root, "_derived", table)):
            failed.append("_derived/%s is absent" % table)
            continue
        by = read_tsv(root, table)
        for path in sorted(p for p in exports if p.startswith(prefix)):
            try:
                right, buggy, why, bugs = expected(root, path, by.get(path, []))
                bugs &= set(KNOWN_BUGS)  # a bug fixed and taken off the list: only the right edges pass
                if not bugs:
                    buggy = right
                actual, notes = scan_edges(trustmap, root, path)
            except (RuntimeError, OSError, ValueError, KeyError) as e:
                failed.append("%s: %s" % (path, e))
                continue
            status = "match"
            if actual != right and actual == buggy:
                status = "match with known bug%s: %s" % ("s" if len(bugs) > 1 else "", ", ".join(sorted(bugs)))
                shown |= bugs
            elif actual != right:
                status = "MISMATCH"
                missing, extra = right - actual, actual - right
                failed.append("%s: edges missing %s; extra %s (counts beyond the expected)"
                              % (path, fmt_edges(missing) or "none", fmt_edges(extra) or "none"))
            elif bugs:
                failed.append("%s: known bug(s) %s no longer show: remove them from KNOWN_BUGS"
                              % (path, ", ".join(sorted(bugs))))
            print("%-72s %3d table rows -> %2d edges, %4d calls: %s; explained: %s"
                  % (path, len(by.get(path, [])), len(right), sum(right.values()), status, why.text()))
            if status == "MISMATCH":
                print("    note: %s" % "; ".join(notes))
    for b in sorted(shown):
        print("KNOWN BUG (%s): %s" % (b, KNOWN_BUGS[b]))


def main():
    trustmap, corpus = sys.argv[1:3]
    root = os.path.join(corpus, "service-maps")
    inventory = os.path.join(root, "_derived", "inventory.tsv")
    if not os.path.exists(inventory):
        print("skipped: %s is absent (the shared corpus' service-maps)" % root)
        return 77
    with open(inventory) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t")
                if r["category"].startswith(("service-map(", "trace("))]
    failed = []
    p = subprocess.run([trustmap, "scan", "--format", "json", root], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print("FAIL: scan of %s exited %d: %s" % (root, p.returncode, p.stderr[-400:]))
        return 1
    d = json.loads(p.stdout)
    kinds = {i["path"]: i["kinds"] for i in d["inputs"]}
    skipped = {s["path"]: s["reason"] for s in d["skipped"]}
    recognised = 0
    for r in rows:
        path = r["path"]
        ok = "runtime-map" in kinds.get(path, []) or skipped.get(path, "").startswith("runtime-map ")
        recognised += ok
        if not ok and path not in NOT_EXPORTS:
            failed.append("%s (%s) not recognised: %s" % (path, r["category"], skipped.get(path)))
        if ok and path in NOT_EXPORTS:
            failed.append("%s recognised, but holds no export: update NOT_EXPORTS" % path)
    errors = [g for g in d["diagnostics"] if g["severity"] == "error"]
    if errors:
        failed.append("errors: %s" % errors[:3])
    rt = d["summary"].get("runtime", {})
    # each file alone as well: a crash on one must not hide behind the directory scan (the golden
    # edges scan those with a table; the rest here)
    for r in rows:
        if r["path"].startswith(tuple(f[1] for f in FORMATS)):
            continue
        q = subprocess.run([trustmap, "scan", "--format", "json", os.path.join(root, r["path"])],
                           capture_output=True, text=True)
        if q.returncode not in (0, 1):
            failed.append("%s: exit %d %s" % (r["path"], q.returncode, q.stderr[-200:]))
    print("%d of %d service-map and trace files recognised (%d hold no export); %s"
          % (recognised, len(rows), len(NOT_EXPORTS), json.dumps(rt, sort_keys=True)))
    golden_edges(trustmap, root, rows, failed)
    for m in failed:
        print("FAIL: " + m)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
