#!/usr/bin/env python3
"""docker-compose files of the shared corpus: every file named *compose*.y[a]ml with a top-level
`services:` line is recognised as compose and modelled, no diagnostic above note points into one,
scanning never crashes, and the measured figures are what EXPECTED says.

Each corpus directory holding compose files is scanned once with them as the roots (they form
projects as docker compose forms them: the base and its override, other files as variants), then
each file alone (a crash on
one must not hide behind the others). Figures: files recognised, service definitions (one per
service key per file), service nodes (a service named in an override file too is one node),
`ports:` blocks, published port mappings (loopback-only bindings counted apart), routes from the
internet, calls between services read from environment values, docker.sock mounts, privileged
services, literal credentials. Exit 77 (skipped) when the corpus is absent.
Usage: compose_corpus.py TRUSTMAP CORPUS_DIR"""
import json
import os
import re
import subprocess
import sys

os.environ.setdefault("TRUSTMAP_STORE", "none")

# measured on the corpus as pinned (see the commit that set them); a change is a finding to explain
# Override semantics (compose.override.yml merged into the base, other files variants "<project>[x]"
# of their own) replaced the union of every file of a directory: variants repeat the base's services,
# hence more nodes, routes and calls than service keys in default projects. Literal credentials
# 83 -> 78: awesome-compose's .env files set POSTGRES_PW, PGADMIN_PW and PIHOLE_PW to the placeholder
# "changeit", which is no credential (the judgement TM-SEC-003 already made of Secret values).
# Published 437 -> 439 and routes 371 -> 373: a service on the host's network (network_mode: host:
# plex, envoy websocket's client-ws) listens on the host itself, and is routed to from the internet.
# Literal credentials 78 -> 73: eShopOnContainers' basket services set ConnectionString to
# ${ESHOP_AZURE_REDIS_BASKET_DB:-basketdata}, a Redis host's name: a connection string is a
# credential only when it carries a password.
EXPECTED = {
    "files": 110, "projects": 108, "service_definitions": 799, "service_nodes": 798, "ports_blocks": 370,
    "published": 439, "loopback_only": 0, "routes_from_internet": 373, "calls": 123, "docker_sock": 6,
    "privileged": 0, "literal_credentials": 73,
}

NAME = re.compile(r"compose[^/]*\.ya?ml$")


def compose_files(corpus):
    found = []
    for top, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if d not in (".git", "_derived", "node_modules"))
        for name in sorted(files):
            path = os.path.join(top, name)
            if not NAME.search(name):
                continue
            with open(path, errors="replace") as f:
                if any(line.startswith("services:") for line in f):
                    found.append(os.path.relpath(path, corpus))
    return found


def scan(trustmap, cwd, roots):
    p = subprocess.run([trustmap, "scan", "--format", "json"] + roots, cwd=cwd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr[-400:])
    return json.loads(p.stdout), None


def main():
    trustmap, corpus = sys.argv[1:3]
    trustmap = os.path.abspath(trustmap)
    if not os.path.isdir(os.path.join(corpus, "awesome-compose")):
        print("skipped: %s is absent (the shared corpus' compose files)" % os.path.join(corpus, "awesome-compose"))
        return 77
    files = compose_files(corpus)
    # one scan per directory: a scan makes each compose directory a system of its own and reports
    # the model of the primary one only, and a directory's files are the projects docker compose
    # would see
    by_repo = {}
    for f in files:
        by_repo.setdefault(os.path.dirname(f), []).append(f)
    failed = []
    got = dict.fromkeys(["files", "service_definitions", "service_nodes", "ports_blocks", "published",
                         "loopback_only", "routes_from_internet", "calls", "docker_sock", "privileged",
                         "literal_credentials", "projects"], 0)
    import yaml  # only to count what the files define, independently of trustmap
    for repo, paths in sorted(by_repo.items()):
        d, err = scan(trustmap, corpus, paths)
        if err:
            failed.append("%s: %s" % (repo, err))
            continue
        kinds = {i["path"]: i["kinds"] for i in d["inputs"]}
        skipped = {s["path"]: s["reason"] for s in d["skipped"]}
        for p in paths:
            if "compose" in kinds.get(p, []):
                got["files"] += 1
            else:
                failed.append("%s not modelled as compose: %s" % (p, skipped.get(p, kinds.get(p))))
            try:
                with open(os.path.join(corpus, p)) as f:
                    doc = next(iter(yaml.safe_load_all(f)), None) or {}
                got["service_definitions"] += len(doc.get("services") or {})
            except yaml.YAMLError:
                pass
        loud = [g for g in d["diagnostics"] if g["severity"] != "note" and g.get("path") in paths]
        failed += ["%s:%s:%s: %s: %s" % (g["path"], g.get("line"), g.get("column"), g["severity"], g["message"])
                   for g in loud]
        projects = set()
        for n in d["model"]["nodes"]:
            if not n["id"].startswith("service:compose:"):
                continue
            got["service_nodes"] += 1
            projects.add(n.get("namespace"))
            facts = n.get("facts", [])
            pub = [f for f in facts if f["key"] == "published_ports"]
            loop = [f for f in facts if f["key"] == "loopback_ports"]
            got["published"] += len(pub)
            got["loopback_only"] += len(loop)
            got["docker_sock"] += sum(1 for f in facts if f["key"] == "host_paths" and "docker.sock" in f["value"])
            got["privileged"] += bool(n.get("privileged"))
            got["literal_credentials"] += len(n.get("literal_credentials", []))
        got["projects"] += len(projects)
        for e in d["model"]["edges"]:
            if not e["to"].startswith("service:compose:"):
                continue
            if e["kind"] == "routes" and e["from"] == "entrypoint:internet":
                got["routes_from_internet"] += 1
            elif e["kind"] == "calls" and e["from"].startswith("service:compose:"):
                got["calls"] += 1
        for p in paths:
            with open(os.path.join(corpus, p), errors="replace") as f:
                got["ports_blocks"] += sum(1 for line in f if re.match(r"^\s+ports:", line))
    # each file alone as well
    for p in files:
        d, err = scan(trustmap, corpus, [p])
        if err:
            failed.append("%s alone: %s" % (p, err))
    print("compose corpus: %s" % json.dumps(got, sort_keys=True))
    for k, want in sorted(EXPECTED.items()):
        if want is not None and got.get(k) != want:
            failed.append("%s: measured %s, expected %s" % (k, got.get(k), want))
    if got["files"] != len(files):
        failed.append("%d of %d compose files modelled" % (got["files"], len(files)))
    for m in failed:
        print("FAIL: " + m)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
