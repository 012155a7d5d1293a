#!/usr/bin/env python3
"""Every report shows the same exposure for every node: the one the analysis computed.

Usage: exposure_agreement.py TRUSTMAP SOURCE_DIR CORPUS_DIR. On the example system and on Online
Boutique (skipped, saying so, when the corpus is absent) it reads each node's exposure from the JSON
report (the truth), then checks the Markdown service table, the HTML report's service table and
diagram, the SARIF results' subject exposure, the terminal summary's exposed line, and the web UI's
diagram (trustmap serve) against it.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

TM, SRC, CORPUS = sys.argv[1], sys.argv[2], sys.argv[3]
ENV = dict(os.environ, TRUSTMAP_STORE="none", NO_COLOR="1")
failures = []


def run(*args, env=ENV):
    return subprocess.run([TM, *args], env=env, capture_output=True, text=True, timeout=300).stdout


def check(system, where, got, want):
    for node, x in sorted(got.items()):
        if want.get(node) != x:
            failures.append(f"{system}: {where} says {node} is {x!r}, the JSON report {want.get(node)!r}")


def svg_exposure(page):
    """node id -> exposure from a diagram's node groups (class exposure-X, tooltip the node id)."""
    out = {}
    for m in re.finditer(r'<g id="tm&#45;n\d+" class="([^"]*)">\s*<title>[^<]*</title>\s*<g id="[^"]*"><a xlink:title="([^"]*)"', page):
        cls, node = html.unescape(m.group(1)), html.unescape(m.group(2))
        x = re.search(r"exposure-(\w+)", cls)
        if x and "kind-namespace" not in cls:
            out[node] = x.group(1)
    return out


def serve_exposure(path):
    tmp = tempfile.mkdtemp(prefix="tm-agree.")
    try:
        env = dict(ENV, TRUSTMAP_STORE="sqlite:" + os.path.join(tmp, "r.db"))
        run("scan", path, "-o", os.devnull, env=env)
        p = subprocess.Popen([TM, "serve", path, "--listen", "127.0.0.1:0", "--read-only"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url, err, deadline = None, "", time.time() + 30
        while time.time() < deadline and not url:
            line = p.stderr.readline()
            if not line:
                break
            err += line
            m = re.search(r"serving (http://[^/\s]+)/", line)
            url = m.group(1) if m else None
        if not url:
            p.kill()
            failures.append(f"serve did not start: {err}")
            return {}
        page = urllib.request.urlopen(url + "/", timeout=30).read().decode()
        p.terminate()
        p.wait(timeout=10)
        return svg_exposure(page)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def agree(system, path):
    j = json.loads(run("scan", path, "--format", "json"))
    truth = dict(j["exposure"])
    if not truth:
        failures.append(f"{system}: no computed exposure at all")
    # Markdown: the service table's 'reachable from' column, by node id
    md = run("scan", path, "--format", "md")
    names = {n["id"]: n for n in j["model"]["nodes"]}
    by_name = {}
    for nid, n in names.items():
        if n["kind"] in ("service", "gateway"):
            by_name.setdefault((n["name"], n.get("namespace") or ""), []).append(nid)
    got = {}
    for row in re.finditer(r"^\| `([^`]*)` \| [^|]* \| ([^|]*) \| [^|]* \| ([^|]*) \|", md, re.M):
        ids = by_name.get((row.group(1), row.group(2).strip()), [])
        if len(ids) == 1 and row.group(3).strip() != "-":
            got[ids[0]] = row.group(3).strip()
    check(system, "Markdown", got, truth)
    if not got:
        failures.append(f"{system}: no exposure read from the Markdown table")
    # HTML: the services table and the diagram
    page = run("scan", path, "--format", "html")
    got = {html.unescape(m.group(1)): m.group(2) for m in
           re.finditer(r"<tr><td><code>([^<]*)</code></td><td>[^<]*</td><td>([^<]*)</td>", page)
           if m.group(2) != "-"}
    check(system, "HTML table", got, truth)
    check(system, "HTML diagram", svg_exposure(page), truth)
    # SARIF: each result's subject exposure
    sarif = json.loads(run("scan", path, "--format", "sarif"))
    subjects = {f["fingerprint"]: f for f in j["findings"]}
    got = {}
    for r in sarif["runs"][0]["results"]:
        x = r.get("properties", {}).get("exposure")
        f = subjects.get(r["partialFingerprints"]["trustmap/v1"])
        if x and f:
            got[f["subject"]] = x
    check(system, "SARIF", {k: v for k, v in got.items() if k in truth}, truth)
    # terminal summary: the exposed line lists exactly the internet-exposed workloads and gateways
    summary = run("scan", path, "--format", "summary")
    line = next((l for l in summary.splitlines() if l.strip().startswith("exposed")), "")
    listed = [x.strip() for x in line.split("exposed", 1)[1].split(",")] if line else []
    listed = [x for x in listed if x and x != "..." and not x.startswith("nothing")]
    internet = sorted(n for n, x in truth.items() if x == "internet" and not n.startswith("endpoint:"))
    if len(listed) != len(set(listed)):
        failures.append(f"{system}: the summary lists a node twice: {listed}")
    if not line.rstrip().endswith("...") and sorted(listed) != internet:
        failures.append(f"{system}: summary exposed {sorted(listed)}, JSON internet {internet}")
    # the web UI's diagram
    check(system, "serve", serve_exposure(path), truth)
    print(f"ok   {system}: {len(truth)} nodes with exposure compared")


agree("example", os.path.join(SRC, "examples/shop"))
ob = os.path.join(CORPUS, "online-boutique")
if os.path.isdir(ob):
    agree("online-boutique", ob)
else:
    print(f"skip online-boutique: {ob} is absent")
for f in failures:
    print("FAIL " + f)
print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
sys.exit(1 if failures else 0)
