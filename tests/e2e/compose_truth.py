#!/usr/bin/env python3
"""docker-compose ingest against the shared corpus' ground truth, service by service.

The corpus' _derived/compose_services.tsv tables (awesome-compose, gateway-configs, podinfo: one row
per service of every compose file, read with PyYAML by the corpus' authors) say what each service
declares. Each directory holding one of those compose files is scanned as a user would
(`trustmap scan DIR --no-store --no-cache --format json`, from the corpus' root) and each row is
judged field by field against the model: is the service a node, its image and build context, its
published ports (host ip, host:container, ranges; protocol apart), the route from the internet
they imply, expose, networks, depends_on, secrets (attribute and mounts edge), bind mounts and host
paths, docker.sock, privileged, network_mode: host, cap_add, user root, read_only/no-new-privileges,
profiles, env-named calls, traefik routing labels. The figure of a field is rows matched / rows
total (every row counts for every field: a service declaring nothing must get nothing).

What the tables write raw, the test resolves as the Compose Specification does before comparing:
`${VAR:-default}` and the `.env` beside the file are interpolated (the tables keep `${...}` as
written), a short port spec is split into [ip:]published:target[/proto]. Profiles and the env
values behind calls are not in the tables: they are read from the compose file itself (PyYAML).

Exit 77 (skipped) when the corpus or a table is absent; a field below EXPECTED fails and prints the
rows that do not match it. Usage: compose_truth.py TRUSTMAP CORPUS_DIR [-v] (-v: every mismatch)"""
import csv
import json
import os
import re
import subprocess
import sys

os.environ["TRUSTMAP_STORE"] = "none"

CORPORA = ("awesome-compose", "gateway-configs", "podinfo")
TABLE = "_derived/compose_services.tsv"

# Rows matched per field, of ROWS (186: 81 awesome-compose + 99 gateway-configs + 6 podinfo), as
# measured on the corpus as pinned; every row counts for every field (a row declaring nothing must
# get nothing, so a field few rows declare still guards against false positives: privileged has no
# positive row). A rise is welcome (raise the figure); a drop fails. What each counts, and why the
# rows it misses miss:
ROWS = 186
EXPECTED = {
    # a service:compose:<project>/<service> node whose compose_files names the row's file
    "node": 186,
    # `images` is [image] (interpolated) when the row has an image, absent when it has none
    "image": 186,
    # `build` is the build context when the row has one (with an image too: wasmedge-kafka-mysql
    # etl, envoy dynamic-config-cp service1/2 were missed before compose.c build())
    "build": 186,
    # published_ports + loopback_ports as a set of [ip:]published->target equal the row's ports
    # (interpolated, split per the spec; protocol ignored here)
    "ports": 186,
    # ... with the protocol (/udp mappings: logstash, cloudflared, pihole, wireguard were missed before
    # compose.c protocol())
    "protocol": 186,
    # entrypoint:internet --routes--> service iff a mapping is published beyond loopback or the
    # service shares the host's network (network_mode: host), its ports the published host ports.
    # (plex and envoy websocket client-ws, network_mode: host, were missed before host_network())
    "exposure": 186,
    # every expose: port is among the node's `ports`
    "expose": 186,
    # `networks` equals the row's networks
    "networks": 186,
    # `depends_on` equals the row's depends_on (an attribute: start order is no call, docs/inputs.md)
    "depends_on": 186,
    # `secrets` equals the row's secrets, each with a mounts edge to secret:compose:<project>/<name>
    "secrets": 186,
    # host_paths + bind_mounts sources equal the row's bind-mount sources (interpolated with .env)
    "bind_mounts": 186,
    # host_paths (host access) holds exactly the absolute / ~ sources
    "host_paths": 186,
    # a /var/run/docker.sock source is a host_paths fact
    "docker_sock": 186,
    # privileged fact iff privileged: true
    "privileged": 186,
    # host_namespaces "network_mode: host" iff network_mode: host
    "network_mode": 186,
    # capabilities_added equals cap_add
    "cap_add": 186,
    # runs_as_root iff user is root/0[:x]; root_not_excluded iff no user
    "user": 186,
    # no writable_root_fs iff read_only: true; no privilege_escalation iff no-new-privileges
    "hardening": 186,
    # profiles fact and opt_in iff the file gives the service profiles (not in the tables)
    "profiles": 186,
    # calls edges to exactly the services its environment values name by host (a scheme, a port,
    # or an address-like variable name), read off the file (the tables keep env names only)
    "calls": 186,
    # a traefik-routed service (traefik.* labels) is reached from its proxy (an edge from another
    # service of the project, or from the Traefik gateway it runs: compose_traefik.c)
    "traefik": 186,
}


def read_table(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


# -- the Compose Specification's reading of what the tables write raw ------------------------------

def dotenv(path):
    env = {}
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return env
    for line in lines:
        s = line.strip()
        if not s or s.startswith("#") or "=" not in s:
            continue
        if s.startswith("export "):
            s = s[7:].lstrip()
        k, v = s.split("=", 1)
        k, v = k.strip(), v.strip()
        if v[:1] in ("'", '"') and v.rfind(v[0]) > 0:
            v = v[1:v.rfind(v[0])]
        else:
            v = re.split(r"\s+#", v, 1)[0].rstrip()
        env[k] = interpolate(v, env)
    return env


VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def interpolate(s, env):
    """As compose does; a variable nothing sets is kept as written (what trustmap does too)."""
    def sub(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        val = env.get(name)
        if op in (":-", "-"):
            if val is None or (op == ":-" and val == ""):
                return interpolate(arg, env)
            return val
        if op in (":+", "+"):
            return interpolate(arg, env) if val else ""
        return m.group(0) if val is None else val
    return VAR.sub(sub, s) if isinstance(s, str) else s


def split_list(cell):
    return [x for x in cell.split(";") if x] if cell else []


def no_proto(port):
    """A port or mapping without its protocol ("53->53/udp" -> "53->53")."""
    return port.split("/", 1)[0]


def short_port(spec):
    """[ip:][published:]target[/proto] -> (ip, published, target, proto); published '' = random."""
    proto = "tcp"
    if "/" in spec:
        spec, proto = spec.split("/", 1)
    ip = ""
    if spec.startswith("["):
        close = spec.index("]")
        ip, spec = spec[:close + 1], spec[close + 2:]
    parts = spec.rsplit(":", 2)
    if len(parts) == 3:
        ip, published, target = parts
    elif len(parts) == 2:
        published, target = parts
    else:
        published, target = "", parts[0]
    return ip, published, target, proto  # "::1:6000:6000": rsplit leaves the address whole


def loopback(ip):
    return ip in ("localhost", "::1", "[::1]") or ip.startswith("127.")


def volume_source(spec):
    if re.match(r"^[A-Za-z]:[\\/]", spec):
        return spec[:2] + spec[2:].split(":", 1)[0]
    return spec.split(":", 1)[0]


def host_path(src):
    return src.startswith(("/", "~", "\\")) or bool(re.match(r"^[A-Za-z]:", src))


def parse_flags(cell):
    flags = {}
    for item in split_list(cell):
        k, _, v = item.partition("=")
        flags[k] = v
    return flags


def json_list(v):
    try:
        return [str(x) for x in json.loads(v)]
    except ValueError:
        return [v]


# -- the model ------------------------------------------------------------------------------------

def scan(trustmap, cwd, d):
    p = subprocess.run([trustmap, "scan", d, "--no-store", "--no-cache", "--format", "json"], cwd=cwd,
                       capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr[-400:])
    return json.loads(p.stdout), None


def find_node(model, fname, service):
    """The node of the row: its name, its origin file; the default project before a variant."""
    cands = [n for n in model["nodes"] if n["id"].startswith("service:compose:") and n["name"] == service
             and fname in n.get("compose_files", [])]
    cands.sort(key=lambda n: (n.get("compose_files", [None])[0] != fname, "[" in n.get("namespace", ""), n["id"]))
    return cands[0] if cands else None


def facts(n, key):
    return [f["value"] for f in n.get("facts", []) if f["key"] == key]


ADDRESS_TAILS = ("_ADDR", "_ADDRESS", "_HOST", "_HOSTNAME", "_URL", "_URI", "_ENDPOINT", "_SERVICE",
                 "_SERVER", "_SERVERS", "_DSN", "_BROKERS", "_BROKER", "_HOSTS", "_URLS")


def named_hosts(key, value, names):
    """Services an env value names by host: scheme://[user@]host[:port], host:port, or a bare host
    under an address-like variable name (what docs/inputs.md promises)."""
    out = set()
    addr_var = key.upper().endswith(ADDRESS_TAILS) or key.upper() in [t[1:] for t in ADDRESS_TAILS]
    for tok in re.split(r"[,; ]+", value or ""):
        strong = False
        if "=" in tok:
            k, tok = tok.split("=", 1)
            if k.lower() not in ("server", "host", "data source", "hostname", "address", "addr"):
                continue
            strong = True
        if "://" in tok:
            tok, strong = tok.split("://", 1)[1], True
        tok = tok.split("@", 1)[-1] if "@" in tok.split("/", 1)[0] else tok
        m = re.match(r"^([A-Za-z0-9_.-]+)(:(\d+))?([/?].*)?$", tok)
        if not m:
            continue
        if m.group(3):
            strong = True
        host = m.group(1).lower()
        if host in names and (strong or addr_var):
            out.add(names[host])
    return out


def compose_doc(path):
    import yaml
    try:
        with open(path) as f:
            return yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError):
        return {}


def env_items(svc):
    env = (svc or {}).get("environment") or {}
    if isinstance(env, dict):
        return [(str(k), None if v is None else str(v)) for k, v in env.items()]
    out = []
    for item in env:
        k, eq, v = str(item).partition("=")
        out.append((k, v if eq else None))
    return out


# -- judging one row ------------------------------------------------------------------------------

def judge(row, n, model, doc, env):
    """{field: (ok, want, got)} for one table row and its node (None: no node)."""
    r = {}
    svc = row["service"]
    r["node"] = (n is not None, "node", n and n["id"])
    if n is None:
        for k in EXPECTED:
            if k != "node":
                r[k] = (False, "node", None)
        return r
    nid = n["id"]
    out_edges = [e for e in model["edges"] if e["from"] == nid]
    in_edges = [e for e in model["edges"] if e["to"] == nid]

    want_img = interpolate(row["image"], env)
    got_img = n.get("images") or []
    r["image"] = (got_img == ([want_img] if want_img else []), want_img, got_img)

    build = row["build"].split(" target=")[0] if row["build"] else ""
    want_build = interpolate(build, env)
    r["build"] = ((n.get("build") or "") == want_build, want_build, n.get("build"))

    specs = [short_port(interpolate(p, env)) for p in split_list(row["ports"])]
    want_pub = sorted({"%s%s%s->%s" % (ip, ":" if ip else "", pub or "(random)", t) for ip, pub, t, _ in specs})
    # ("host->PORT": a service on the host's network, judged under exposure; the table lists no ports)
    got_pub_proto = sorted({v for v in facts(n, "published_ports") + facts(n, "loopback_ports")
                            if not v.startswith("host->")})
    got_pub = sorted({no_proto(v) for v in got_pub_proto})
    r["ports"] = (want_pub == got_pub, want_pub, got_pub)
    want_proto = sorted({"%s->%s/%s" % (pub or "(random)", t, pr) for _, pub, t, pr in specs})
    # the model writes a protocol other than TCP after the container port ("53->53/udp")
    got_proto = sorted({re.sub(r"^.*:(?=[^:]*->)", "", v) + ("" if "/" in v else "/tcp") for v in got_pub_proto})
    r["protocol"] = (want_proto == got_proto, want_proto, got_proto)

    flags = parse_flags(row["flags"])
    host_net = flags.get("network_mode") == "host"
    exposed = sorted({pub or "(random)->%s" % t for ip, pub, t, _ in specs if not loopback(ip)})
    routes = [e for e in in_edges if e["from"] == "entrypoint:internet" and e["kind"] == "routes"]
    got_ports = sorted({no_proto(p) for e in routes for p in e.get("ports", [])})
    if host_net:
        ok = bool(routes)
    else:
        ok = bool(routes) == bool(exposed) and got_ports == exposed
    r["exposure"] = (ok, exposed or ("host network" if host_net else []), got_ports if routes else None)

    want_expose = split_list(row["expose"])
    got_ports_attr = n.get("ports") or []
    r["expose"] = (all(no_proto(p) in got_ports_attr for p in want_expose), want_expose, got_ports_attr)

    r["networks"] = (sorted(split_list(row["networks"])) == sorted(n.get("networks") or []),
                     split_list(row["networks"]), n.get("networks"))
    r["depends_on"] = (sorted(split_list(row["depends_on"])) == sorted(n.get("depends_on") or []),
                       split_list(row["depends_on"]), n.get("depends_on"))

    want_sec = sorted(split_list(row["secrets"]))
    ns = n.get("namespace")
    mounted = sorted(e["to"].split("/", 1)[1] for e in out_edges
                     if e["kind"] == "mounts" and e["to"].startswith("secret:compose:%s/" % ns))
    r["secrets"] = (want_sec == sorted(n.get("secrets") or []) and want_sec == mounted, want_sec,
                    [n.get("secrets"), mounted])

    srcs = sorted({volume_source(interpolate(b, env)) for b in split_list(row["bind_mounts"])})
    got_host = sorted(set(facts(n, "host_paths")))
    got_bind = sorted(set(facts(n, "bind_mounts")))
    r["bind_mounts"] = (srcs == sorted(set(got_host + got_bind)), srcs, got_host + got_bind)
    want_host = sorted(s for s in srcs if host_path(s))
    r["host_paths"] = (want_host == got_host, want_host, got_host)
    want_sock = any("docker.sock" in s for s in srcs)
    r["docker_sock"] = (want_sock == any("docker.sock" in s for s in got_host), want_sock, got_host)

    want_priv = flags.get("privileged", "").lower() == "true"
    r["privileged"] = (want_priv == bool(facts(n, "privileged")), want_priv, facts(n, "privileged"))
    got_hostnet = "network_mode: host" in facts(n, "host_namespaces")
    r["network_mode"] = (host_net == got_hostnet, flags.get("network_mode"), facts(n, "host_namespaces"))
    want_caps = sorted("%s:%s" % (svc, c) for c in json_list(flags["cap_add"])) if "cap_add" in flags else []
    got_caps = sorted(facts(n, "capabilities_added"))
    r["cap_add"] = (want_caps == got_caps, want_caps, got_caps)

    user = interpolate(flags["user"], env) if "user" in flags else None
    root = user is not None and (user.split(":")[0] in ("root", "0"))
    got_root, got_unset = bool(facts(n, "runs_as_root")), bool(facts(n, "root_not_excluded"))
    r["user"] = (got_root == root and got_unset == (user is None), user, [got_root, got_unset])

    ro = flags.get("read_only", "").lower() == "true"
    nnp = any(o.startswith("no-new-privileges") and not o.endswith(":false") for o in
              json_list(flags.get("security_opt", "[]")))
    got_ro, got_nnp = not facts(n, "writable_root_fs"), not facts(n, "privilege_escalation")
    r["hardening"] = ((ro, nnp) == (got_ro, got_nnp), [ro, nnp], [got_ro, got_nnp])

    sdoc = ((doc.get("services") or {}).get(svc) or {})
    want_prof = sorted(str(p) for p in (sdoc.get("profiles") or []))
    r["profiles"] = (want_prof == sorted(facts(n, "profiles")) and bool(want_prof) == bool(n.get("opt_in")),
                     want_prof, facts(n, "profiles"))

    names = {}
    for other, od in (doc.get("services") or {}).items():
        od = od or {}
        hosts = [other, od.get("container_name"), od.get("hostname")]
        nets = od.get("networks")
        if isinstance(nets, dict):
            for nv in nets.values():
                hosts += list((nv or {}).get("aliases") or [])
        for h in hosts:
            if h:
                names[str(h).lower()] = other
    want_calls = set()
    for k, v in env_items(sdoc):
        if v is None:
            v = env.get(k)
        want_calls |= named_hosts(k, interpolate(v, env) if v else v, names)
    want_calls.discard(svc)
    prefix = "service:compose:%s/" % ns
    # calls an application's own configuration file makes (an edge with a "setting") are not the
    # environment's: the table reads the compose file alone
    got_calls = {e["to"][len(prefix):] for e in out_edges
                 if e["kind"] == "calls" and e["to"].startswith(prefix) and (e.get("env") or not e.get("setting"))}
    r["calls"] = (sorted(want_calls) == sorted(got_calls), sorted(want_calls), sorted(got_calls))

    traefik = row["labels"] == "traefik"
    proxies = {e["from"] for e in in_edges if e["from"].startswith(prefix) or e["from"].startswith("gateway:traefik:")}
    r["traefik"] = (not traefik or bool(proxies), traefik, sorted(proxies))
    return r


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv[1:]
    if len(args) != 2:
        print(__doc__)
        return 2
    trustmap, corpus = os.path.abspath(args[0]), args[1]
    for c in CORPORA:
        if not os.path.isfile(os.path.join(corpus, c, TABLE)):
            print("skipped: %s is absent (the shared corpus' compose ground truth)" % os.path.join(corpus, c, TABLE))
            return 77
    try:
        import yaml  # noqa: F401  (profiles and env values are read off the files)
    except ImportError:
        print("skipped: PyYAML is not installed")
        return 77
    failed = []
    results = []  # (corpus, row, {field: (ok, want, got)})
    for c in CORPORA:
        root = os.path.join(corpus, c)
        rows = read_table(os.path.join(root, TABLE))
        by_dir = {}
        for row in rows:
            by_dir.setdefault(os.path.dirname(row["file"]) or ".", []).append(row)
        for d, drows in sorted(by_dir.items()):
            model, err = scan(trustmap, root, d)
            if err:
                failed.append("%s/%s: %s" % (c, d, err))
                continue
            env = dotenv(os.path.join(root, d, ".env"))
            for row in drows:
                path = os.path.join(root, row["file"])
                if not os.path.isfile(path):
                    failed.append("%s/%s: in the table, not in the corpus" % (c, row["file"]))
                    continue
                n = find_node(model["model"], os.path.relpath(row["file"], d), row["service"])
                results.append((c, row, judge(row, n, model["model"], compose_doc(path), env)))
    total = len(results)
    got = {k: sum(1 for _, _, r in results if r[k][0]) for k in EXPECTED}
    print("compose truth: %d rows" % total)
    for k in EXPECTED:
        declared = sum(1 for _, _, r in results if r[k][1] not in (None, "", [], False, [False, False]))
        print("  %-12s %3d/%d  %5.1f%%  (%d rows declare it)" % (k, got[k], total,
                                                             100.0 * got[k] / total if total else 0, declared))
    if total != ROWS:
        failed.append("rows: %d judged, expected %d" % (total, ROWS))
    for k, want in EXPECTED.items():
        bad = [(c, row, r[k]) for c, row, r in results if not r[k][0]]
        dropped = want is not None and got[k] < want
        if dropped:
            failed.append("%s: %d of %d rows match, expected %d" % (k, got[k], total, want))
        elif want is not None and got[k] > want:
            print("note: %s rose to %d (expected %d): raise EXPECTED" % (k, got[k], want))
        if dropped or verbose:
            for c, row, (_, w, g) in bad:
                print("  %s %s/%s %s: want %s, got %s" % ("FAIL" if dropped else "miss", c, row["file"],
                                                          row["service"], json.dumps(w), json.dumps(g)))
    if verbose:
        print("measured: %s" % json.dumps(got, sort_keys=True))
    for m in failed:
        print("FAIL: " + m)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
