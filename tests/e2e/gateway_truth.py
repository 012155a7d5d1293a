#!/usr/bin/env python3
"""Gateway ingest against the shared corpus' ground truth: the Envoy and Kong configurations of
gateway-configs/ as _derived/envoy_routes.tsv and _derived/kong_routes.tsv list them (one row per
route, read off the upstream files with PyYAML: _derived/README.md), and whether trustmap's model
holds each row: the gateway node, the route (a `routes` edge from the gateway whose evidence is the
route's line, or the gateway's `unresolved_upstreams` fact at that line when the backend resolves to
no workload), its path match, its backend, the filter chain's downstream TLS (Envoy), the virtual
hosts (Kong), and the checks its auth-ish filters or plugins put on the edge (authn_checks,
rate_limits, allow_lists).

Envoy configurations are scanned by sandbox (the directory holding the file's compose file, so that
cluster endpoints resolve to compose services), Kong files one by one (each is a configuration of its
own). The table rows are joined to the files' own route lines (PyYAML node marks) by listener address,
cluster and match (Envoy) or service, route name and paths (Kong).

Kong upstreams are public hosts (mockbin.org, httpbin.org) or localhost, which resolve to no workload:
such a route is only an `unresolved_upstreams` fact (docs/inputs.md), without its path, hosts or
checks. So Kong is measured twice: as scanned ("kong"), and "kong_resolved": each file copied beside a
compose file whose services answer to its upstream hosts (network aliases; "localhost" renamed, line
for line) and one of which bind-mounts it, so that every route has an edge whose attributes can be
read. There "checks_exact" also holds each edge to Kong's plugin scoping, read off the file: a plugin
naming a consumer or consumer group is no check on the route, one nested under a service naming a
route applies to that route only, `enabled: false` is none; and the check must cite the plugin's line.

Rows that are no route trustmap should model are counted apart by kind, not held against it: Envoy
network filters without a cluster (the mysql_proxy and postgres_proxy rows: the tcp_proxy after each
forwards, and is a row of its own; the redis_proxy row, whose prefix_routes.catch_all_route trustmap
reads as a TCP route but the table gives no cluster), a direct_response route (no backend), an LDS
resource file (Envoy's dynamic resources are not read, docs/inputs.md); Kong files with neither
service nor route, services without routes (the table gives a service whose routes are top-level a
row of its own), top-level routes naming no service (nothing to forward to), and files without
`_format_version` (not a Kong declarative file, docs/inputs.md). Envoy tcp_proxy chains forward to a
backend and count as routes (trustmap models them as TCP routes: edges with `protocols: tcp` and no
path, their line the tcp_proxy filter's).

Exit 77 (skipped) when the corpus, its tables or PyYAML are absent; 1 when a scan fails or a figure
drops below EXPECTED, printing the rows that disagree on it (the known misses, listed at EXPECTED,
and the new ones). --verbose prints every disagreeing row. CORPUS_DIR is the shared corpus or its
gateway-configs directory.
Usage: gateway_truth.py TRUSTMAP CORPUS_DIR [--verbose]"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TRUSTMAP_STORE", "none")

# Measured on the corpus as pinned; each figure counts table rows. A drop fails; a rise is a fix to
# pin here. "routes" counts the rows trustmap should model (see the docstring); every other figure
# counts, among those, the rows whose field agrees. The misses, as measured:
EXPECTED = {
    "envoy": {
        "rows": 73,          # rows of envoy_routes.tsv
        "routes": 68,        # HTTP routes to a static cluster (58) and tcp_proxy chains (10)
        "gateway": 68,       # ... whose file became a gateway:envoy:<file> node
        "route": 67,         # ... in the model: an edge citing the route's line, the unresolved fact at
                             #     it, or a loopback endpoint of a hosted gateway (the host itself).
                             #     Miss: the loopback route of an unhosted gateway (local_ratelimit's
                             #     envoy-stat: dropped without a trace)
        "backend": 67,       # ... whose edge goes to the endpoint's host (or the fact names it)
        "tls": 68,           # ... whose listener's downstream TLS the model says: the gateway's `tls`,
                             #     unless a `plaintext_listeners` fact sits at the route's filter chain
                             #     (and then the route's edge names a plaintext listener)
        "checks": 64,        # ... whose edge carries authn / rate / allow checks as the filters say.
                             #     Misses: the loopback route, single-page-app /other/ (unresolved:
                             #     no edge), double-proxy's backend tcp_proxy (`postgres` is a service
                             #     and another network's alias: unresolved, no edge), envoy/rbac (any
                             #     RBAC filter counts as an allow-list here; see checks_exact)
        "checks_exact": 65,  # ... the same with RBAC read as Envoy reads it: an allow-list only when it
                             #     denies what no policy allows (envoy/rbac is a block-list: a deny
                             #     rule), and a client certificate the chain requires and verifies
                             #     against a trusted_ca as authentication (mTLS; double-proxy's
                             #     backend, unresolved). Misses: the 4 above but envoy/rbac
        "http_routes": 58,   # HTTP routes
        "http_route": 57,    # ... in the model
        "http_path": 56,     # ... whose edge carries the match (single-page-app /other/ is unresolved)
    },
    "kong": {
        "rows": 345,         # rows of kong_routes.tsv
        "routes": 108,       # routes with a service, in files with _format_version
        "gateway": 108,      # ... whose file became a gateway:kong:<file> node
        "route": 106,        # ... each path of which is in the model (an edge, or the unresolved fact).
                             #     Misses: convert/testdata/10 s2/r2 twice (its service has no host)
        "backend": 106,      # ... whose edges / unresolved facts name the service's host or targets
        "path": 68,          # ... whose edges carry the paths: an upstream on a public host (mockbin.org,
        "hosts": 68,         #     httpbin.org) is an external:<host> node the route reaches; the 40
        "checks": 68,        #     others name localhost or a host no workload answers to: no edge
        "methods": 0,        # ... with `methods` that the model carries (methods are not read)
        "methods_rows": 7,   # ... with `methods`
    },
}
# The same rows with every upstream host answering to a compose service. Misses: 10 s2/r2 twice and
# 053-mask-short-values (host `${{ env "DECK_SERVICE_HOST" }}`, decK templating) have no edge, so no
# path, hosts, checks nor checks_exact either. checks reads the table's plugin columns, which name
# every plugin of the route, service and file whatever it is scoped to: it also misses the 16 routes
# of 041-plugins-nested-foreign-keys whose only plugin, a rate-limiting, is scoped to a consumer or
# consumer group (no limit for everyone, as checks_exact and Kong have it).
EXPECTED["kong_resolved"] = dict(EXPECTED["kong"], path=105, hosts=105, checks=89, checks_exact=105)

ENVOY_AUTHN = {"ExtAuthz", "JwtAuthentication", "JwtAuthn", "OAuth2", "BasicAuth"}
ENVOY_RATE = {"LocalRateLimit", "RateLimit"}
ENVOY_ALLOW = {"RBAC"}
KONG_AUTHN = {"jwt", "oauth2", "openid-connect", "key-auth", "key-auth-enc", "basic-auth", "hmac-auth",
              "ldap-auth", "ldap-auth-advanced", "session", "mtls-auth"}
KONG_ALLOW = {"ip-restriction", "acl"}
CHECKS = (("authn", "authn_checks"), ("rate", "rate_limits"), ("allow", "allow_lists"))
COMPOSE = re.compile(r"(^|/)(docker-)?compose[^/]*\.ya?ml$")
LOCAL = "kong-local-upstream"


def kong_category(name):
    if name in KONG_AUTHN:
        return "authn"
    if "rate-limiting" in name or name == "response-ratelimiting":
        return "rate"
    return "allow" if name in KONG_ALLOW else None


# ---- the tables and the files ---------------------------------------------------------------------

def table(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [dict(zip(rows[0], r + [""] * (len(rows[0]) - len(r)))) for r in rows[1:]]


def compose(path):
    import yaml
    with open(path) as f:
        try:
            return next(iter(yaml.compose_all(f)), None)
        except yaml.YAMLError:
            return None


def get(node, key):
    if node is not None and node.tag.endswith(":map"):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def seq(node):
    return node.value if node is not None and node.tag.endswith(":seq") else []


def s(node):
    return node.value if node is not None and not node.tag.endswith((":map", ":seq")) else None


def line(node):
    return node.start_mark.line + 1


def envoy_routes(path):
    """(listener address, cluster, match path, proto, line, RBAC allow-list, filter chain line,
    client certificate) of every route and tcp_proxy of a file."""
    root = compose(path)
    listeners = seq(get(get(root, "static_resources"), "listeners")) or \
        [r for r in seq(get(root, "resources")) if "Listener" in (s(get(r, "@type")) or "")]
    out = []
    for lst in listeners:
        sa = get(get(lst, "address"), "socket_address")
        addr = "%s:%s" % (s(get(sa, "address")), s(get(sa, "port_value")))
        for ch in seq(get(lst, "filter_chains")):
            mtls = client_certificate(ch)
            for f in seq(get(ch, "filters")):
                name = s(get(f, "name")) or ""
                cfg = get(f, "typed_config") or get(f, "config")
                if "tcp_proxy" in name:
                    out.append((addr, s(get(cfg, "cluster")) or "", "", "tcp", line(f), False, line(ch), mtls))
                if "http_connection_manager" not in name:
                    continue
                allow = rbac_allow_list(cfg)
                for vh in seq(get(get(cfg, "route_config"), "virtual_hosts")):
                    for rt in seq(get(vh, "routes")):
                        m = get(rt, "match")
                        p = s(get(m, "prefix")) or s(get(m, "path")) or s(get(m, "path_separated_prefix")) or \
                            s(get(get(m, "safe_regex"), "regex")) or ""
                        cl = s(get(get(rt, "route"), "cluster")) or ""
                        out.append((addr, cl, p, "http", line(rt), allow, line(ch), mtls))
    return out


def client_certificate(ch):
    """Does the chain's DownstreamTlsContext require a client certificate and verify it against a
    CA (tls.proto: require_client_certificate, a validation_context with trusted_ca)? Then every
    route of the chain is authenticated by it (mTLS)."""
    tc = get(get(ch, "transport_socket"), "typed_config") or get(ch, "tls_context")
    vc = get(get(tc, "common_tls_context"), "validation_context")
    return s(get(tc, "require_client_certificate")) in ("true", "True") and get(vc, "trusted_ca") is not None


def rbac_allow_list(hcm):
    """Does the connection manager's RBAC filter deny what no policy allows? Envoy's RBAC
    (rbac.proto) is a safe-list with `rules.action: ALLOW` (the default) or a matcher whose
    on_no_match does not allow (requests no matcher matches are denied); with `action: DENY` or an
    on_no_match that allows it is a block-list, no allow-list; `action: LOG`, or neither rules nor
    matcher, enforces nothing. A matcher wins over rules."""
    for f in seq(get(hcm, "http_filters")):
        cfg = get(f, "typed_config") or get(f, "config")
        if "rbac" not in (s(get(f, "name")) or "").lower() and "RBAC" not in (s(get(cfg, "@type")) or ""):
            continue
        rules, matcher = get(cfg, "rules"), get(cfg, "matcher")
        if matcher is not None:
            no_match = get(get(get(get(matcher, "on_no_match"), "action"), "typed_config"), "action")
            return s(no_match) != "ALLOW"
        if rules is not None:
            return (s(get(rules, "action")) or "ALLOW") == "ALLOW"
    return False


def upstream_host(url):
    m = re.match(r"^[a-z]+://(\[[^\]]*\]|[^/:?#]*)", url or "")
    return m.group(1) if m else ""


def kong_routes(path):
    """Per route of a Kong file: its service's name, its name, paths, the lines trustmap records it at
    (each path's, else the route's), the hosts it forwards to (the service's url or host, or the
    targets of the upstream that host names), and the lines of the plugins that check it, by
    category, under Kong's scoping."""
    root = compose(path)
    svcs, top = seq(get(root, "services")), seq(get(root, "plugins"))
    ups = {s(get(u, "name")): [s(get(t, "target")) or "" for t in seq(get(u, "targets"))]
           for u in seq(get(root, "upstreams"))}
    out = []

    def keys(node):
        return {s(get(node, "name")), s(get(node, "id"))} - {None}

    def ref(p, key):
        r = get(p, key)
        return None if r is None else ({s(r)} if s(r) is not None else keys(r))

    def hosts_of(svc):
        h = upstream_host(s(get(svc, "url"))) if get(svc, "url") is not None else (s(get(svc, "host")) or "")
        return [t.rsplit(":", 1)[0] if t.count(":") == 1 else t for t in ups[h]] if ups.get(h) else [h]

    def checks(svc, rt):
        sk, rk = (keys(svc) if svc is not None else set()), keys(rt)
        applying = [p for p in top
                    if all(get(p, k) is None for k in ("service", "route", "consumer", "consumer_group"))]
        applying += [p for p in seq(get(svc, "plugins")) if ref(p, "route") is None or ref(p, "route") & rk]
        applying += [p for p in top if ref(p, "service") and ref(p, "service") & sk and
                     (ref(p, "route") is None or ref(p, "route") & rk)]
        applying += [p for p in seq(get(rt, "plugins")) if ref(p, "service") is None or ref(p, "service") & sk]
        applying += [p for p in top if ref(p, "route") and ref(p, "route") & rk and
                     (ref(p, "service") is None or ref(p, "service") & sk)]
        lines = {"authn": set(), "rate": set(), "allow": set()}
        for p in applying:
            cat = kong_category(s(get(p, "name")) or "")
            scoped = get(p, "consumer") is not None or get(p, "consumer_group") is not None
            if cat and not scoped and (s(get(p, "enabled")) or "true").lower() != "false":
                lines[cat].add(line(p))
        return lines

    def route(svc, rt, name):
        paths = [(s(p), line(p)) for p in seq(get(rt, "paths"))]
        out.append({"service": name or "", "route": s(get(rt, "name")) or "", "paths": [p for p, _ in paths],
                    "lines": [ln for _, ln in paths] or [line(rt)],
                    "hosts": hosts_of(svc) if svc is not None else [], "checks": checks(svc, rt)})

    for svc in svcs:
        for rt in seq(get(svc, "routes")):
            route(svc, rt, s(get(svc, "name")))
    for rt in seq(get(root, "routes")):
        want = ref(rt, "service") or set()
        svc = [x for x in svcs if want & keys(x)]
        route(svc[0] if svc else None, rt, next(iter(sorted(want)), ""))
    return out


# ---- scanning and the model -----------------------------------------------------------------------

def scan(trustmap, cwd, root):
    p = subprocess.run([trustmap, "scan", root, "--no-store", "--no-cache", "--format", "json"], cwd=cwd,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1) or not p.stdout.strip():
        return None, "scan %s exited %d: %s" % (root, p.returncode, p.stderr[-400:])
    if "Sanitizer" in p.stderr or "runtime error" in p.stderr:
        return None, "scan %s: %s" % (root, p.stderr[-800:])
    return json.loads(p.stdout), None


class Model:
    """The gateway nodes of one scan by config path, their routes edges and unresolved facts."""

    def __init__(self, d, prefix=""):
        self.nodes = {n["id"]: n for n in d["model"]["nodes"]}
        self.gw = {os.path.normpath(os.path.join(prefix, n["config"])): n for n in d["model"]["nodes"]
                   if n["kind"] == "gateway" and n.get("config")}
        self.edges = {}
        for e in d["model"]["edges"]:
            if e["kind"] == "routes" and e["from"].startswith("gateway:"):
                self.edges.setdefault(e["from"], []).append(e)

    def at(self, gw, ln):
        """The edges of gateway gw whose evidence is line ln, and its unresolved facts at ln."""
        edges = [e for e in self.edges.get(gw["id"], []) if any(ev.get("line") == ln for ev in e["evidence"])]
        facts = [f for f in gw.get("facts", []) if f["key"] == "unresolved_upstreams" and f["at"]["line"] == ln]
        return edges, facts

    def names(self, node_id):
        n = self.nodes.get(node_id, {})
        return {node_id.rsplit("/", 1)[-1], n.get("name", "")} | set(n.get("hostnames") or [])


def cited_lines(entries):
    return {int(m.group(1)) for x in entries or [] for m in [re.search(r":(\d+)$", x)] if m}


def tally(got, bad, key, fields):
    for field, ok in fields:
        if ok:
            got[field] += 1
        else:
            bad.setdefault(field, []).append(key)


# ---- Envoy ----------------------------------------------------------------------------------------

def envoy_kind(r):
    if r["proto"] == "tcp":
        return "route"
    if r["proto"] != "http":
        return "network filter without a cluster (%s)" % r["proto"]
    if r["cluster"].startswith("(direct_response"):
        return "direct_response (no backend)"
    if not r["endpoints"]:
        return "LDS resource file (dynamic resources are not read)"
    return "route"


def sandbox(corpus, f):
    """The directory of f or above (below the top) holding a compose file, else f itself."""
    d = os.path.dirname(f)
    while d.count("/") >= 1:
        if any(COMPOSE.search(n) for n in os.listdir(os.path.join(corpus, d))):
            return d
        d = os.path.dirname(d)
    return f


def envoy(trustmap, corpus, rows):
    got = dict.fromkeys(EXPECTED["envoy"], 0)
    got["rows"] = len(rows)
    other, bad, failed, models, walked, used = {}, {}, [], {}, {}, set()
    for root in sorted({sandbox(corpus, r["file"]) for r in rows if envoy_kind(r) == "route"}):
        d, err = scan(trustmap, corpus, root)
        if err:
            failed.append(err)
        else:
            models[root] = Model(d, root if os.path.isdir(os.path.join(corpus, root)) else "")
    for r in rows:
        kind = envoy_kind(r)
        if kind != "route":
            other[kind] = other.get(kind, 0) + 1
            continue
        http = r["proto"] == "http"
        got["routes"] += 1
        got["http_routes"] += http
        key = "%s %s %s -> %s" % (r["file"], r["address"], r["match"] or r["proto"], r["cluster"])
        m = models.get(sandbox(corpus, r["file"]))
        gw = m.gw.get(os.path.normpath(r["file"])) if m else None
        if not gw:
            bad.setdefault("gateway", []).append(key)
            continue
        got["gateway"] += 1
        if r["file"] not in walked:
            walked[r["file"]] = envoy_routes(os.path.join(corpus, r["file"]))
        path = r["match"].split(",")[0].split("=", 1)[-1] if http else ""
        lines = [c[4:] for c in walked[r["file"]] if c[:4] == (r["address"], r["cluster"], path, r["proto"])
                 and (r["file"], c[4]) not in used]
        if not lines:
            bad.setdefault("route (not in the file)", []).append(key)
            continue
        used.add((r["file"], lines[0][0]))
        hosts = [e.split(" ")[0].rsplit(":", 1)[0] for e in r["endpoints"].split(",") if e]
        edges, facts = m.at(gw, lines[0][0])
        filters = set(r["http_filters"].split(","))
        want = {"authn": bool(filters & ENVOY_AUTHN), "rate": bool(filters & ENVOY_RATE),
                "allow": bool(filters & ENVOY_ALLOW)}
        # RBAC as Envoy reads it; a verified client certificate authenticates the chain's routes
        exact = dict(want, allow=lines[0][1], authn=want["authn"] or lines[0][3])
        if all(h.startswith("127.") or h == "::1" for h in hosts) and gw.get("hosted_by"):
            ok_route = ok_backend = ok_path = ok_checks = ok_exact = True  # the host itself (docs/inputs.md)
        else:
            ok_route = bool(edges or facts)
            ok_backend = ok_route and all(any(h in m.names(e["to"]) for e in edges) or
                                          any(f["value"] == h for f in facts) for h in hosts)
            ok_path = any(path in e.get("paths", []) + e.get("path_patterns", []) for e in edges)
            ok_checks = bool(edges) and all(bool(e.get(attr)) == want[cat] for e in edges for cat, attr in CHECKS)
            ok_exact = bool(edges) and all(bool(e.get(attr)) == exact[cat] for e in edges for cat, attr in CHECKS)
        # TLS is per filter chain: a chain the gateway's `tls` is not true of is a
        # plaintext_listeners fact at the chain's line, and the edges of its routes name it
        want_tls, chain_line = r["downstream_tls"] == "tls", lines[0][2]
        plain = any(f["key"] == "plaintext_listeners" and f["at"]["line"] == chain_line for f in gw.get("facts", []))
        ok_tls = (bool(gw.get("tls")) and not plain) == want_tls and \
            (want_tls or not gw.get("tls") or all(e.get("plaintext_listeners") for e in edges))
        tally(got, bad, key, (("route", ok_route), ("backend", ok_backend), ("tls", ok_tls), ("checks", ok_checks),
                              ("checks_exact", ok_exact)))
        if http:
            tally(got, bad, key, (("http_route", ok_route), ("http_path", ok_path)))
    return got, other, bad, failed


# ---- Kong -----------------------------------------------------------------------------------------

def regex(path, old):
    """Is a Kong route path a regular expression? "~/..." from format 3.0 on; before, what decK's
    conversion to 3.0 prefixes with "~": a path with characters beyond [A-Za-z0-9._~/%-]."""
    return path.startswith("~") or (old and re.search(r"[^A-Za-z0-9._~/%-]", path) is not None)


def kong_kind(r):
    if not any(r[k] for k in ("route", "paths", "hosts", "methods")):
        return "service without routes" if (r["service"] or r["upstream_url"]) else "file with no service nor route"
    if not r["format_version"]:
        return "file without _format_version"
    return "route" if r["service"] or r["upstream_url"] else "top-level route naming no service"


def kong_model(trustmap, corpus, f, resolved, tmp):
    """Kong file f scanned alone: (model, its config path in the model, error). Resolved: copied into
    a directory of its own beside a compose project answering to its upstream hosts."""
    if not resolved:
        d, err = scan(trustmap, corpus, f)
        return (Model(d) if d else None), f, err
    hosts = sorted({LOCAL if h == "localhost" else h for rt in kong_routes(os.path.join(corpus, f))
                    for h in rt["hosts"] if re.match(r"^[A-Za-z][A-Za-z0-9.-]*$", h or "")})
    d = tempfile.mkdtemp(dir=tmp)
    name = os.path.basename(f)
    with open(os.path.join(corpus, f)) as src, open(os.path.join(d, name), "w") as dst:
        # trustmap, like Kong, reads localhost as the gateway's own host: renamed, it resolves
        dst.write(re.sub(r"\blocalhost\b", LOCAL, src.read()))
    lines = ["services:", "  kong:", "    image: kong", "    volumes:", "    - ./%s:/kong/kong.yml:ro" % name]
    for i, h in enumerate(hosts):
        lines += ["  up%d:" % i, "    image: upstream", "    networks:", "      default:",
                  "        aliases: [%s]" % json.dumps(h)]
    with open(os.path.join(d, "docker-compose.yml"), "w") as out:
        out.write("\n".join(lines) + "\n")
    data, err = scan(trustmap, d, ".")
    return (Model(data) if data else None), name, err


def kong(trustmap, corpus, rows, resolved=False):
    got = dict.fromkeys(EXPECTED["kong_resolved" if resolved else "kong"], 0)
    got["rows"] = len(rows)
    other, bad, failed, models, walked, used = {}, {}, [], {}, {}, set()
    # the table gives a service's plugins on its own row only, not on its top-level routes' rows
    svc_plugins = {}
    for r in rows:
        if r["service"]:
            svc_plugins.setdefault((r["file"], r["service"]), set()).update(
                p for p in r["service_plugins"].split(",") if p)
    tmp = tempfile.mkdtemp(prefix="gateway_truth.")
    try:
        for f in sorted({r["file"] for r in rows if kong_kind(r) == "route"}):
            m, name, err = kong_model(trustmap, corpus, f, resolved, tmp)
            if err:
                failed.append(err)
            elif m:
                models[f] = (m, name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for r in rows:
        kind = kong_kind(r)
        got["methods_rows"] += bool(r["methods"]) and kind == "route"
        if kind != "route":
            other[kind] = other.get(kind, 0) + 1
            continue
        got["routes"] += 1
        key = "%s %s/%s %s" % (r["file"], r["service"], r["route"], r["paths"])
        m, name = models.get(r["file"], (None, None))
        gw = m.gw.get(name) if m else None
        if not gw:
            bad.setdefault("gateway", []).append(key)
            continue
        got["gateway"] += 1
        if r["file"] not in walked:
            walked[r["file"]] = kong_routes(os.path.join(corpus, r["file"]))
        paths = r["paths"].split(",") if r["paths"] else []
        cand = [c for c in walked[r["file"]] if (r["file"], c["lines"][0]) not in used
                and (c["service"], c["route"], c["paths"]) == (r["service"], r["route"], paths)]
        if not cand:
            bad.setdefault("route (not in the file)", []).append(key)
            continue
        c = cand[0]
        used.add((r["file"], c["lines"][0]))
        found = [m.at(gw, ln) for ln in c["lines"]]
        edges = [e for es, _ in found for e in es]
        ok_route = all(es or fs for es, fs in found)
        # a regex is "~..." from format 3.0 on; before, any path that looks like one (Kong 2.x)
        old = not r["format_version"].startswith(("3", "4"))
        ok_path = all(any(p.lstrip("~") in e.get("path_patterns" if regex(p, old) else "paths", []) for e in es)
                      for (es, _), p in zip(found, paths or ["/"]))
        names = [LOCAL if h == "localhost" and resolved else h for h in c["hosts"]]
        ok_backend = ok_route and bool(names) and all(
            any(h in m.names(e["to"]) for e in es) or any(f["value"].rsplit(":", 1)[0] == h for f in fs)
            for es, fs in found for h in names)
        want_hosts = {h for h in r["hosts"].split(",") if h}
        ok_hosts = bool(edges) and all(want_hosts <= set(e.get("hosts", [])) for e in edges)
        plugins = set(",".join((r["route_plugins"], r["global_plugins"])).split(",")) | \
            svc_plugins.get((r["file"], r["service"]), set())
        want = {cat: any(kong_category(p) == cat for p in plugins) for cat, _ in CHECKS}
        ok_checks = bool(edges) and all(bool(e.get(attr)) == want[cat] for e in edges for cat, attr in CHECKS)
        fields = [("route", ok_route), ("path", ok_path), ("backend", ok_backend), ("hosts", ok_hosts),
                  ("checks", ok_checks)] + ([("methods", False)] if r["methods"] else [])  # methods: not read
        if resolved:
            # the edge to a backend carries every route to it: its citations may be any of theirs
            allowed = {cat: set() for cat, _ in CHECKS}
            for e in edges:
                ev = {x.get("line") for x in e["evidence"]}
                for o in walked[r["file"]]:
                    if ev & set(o["lines"]):
                        for cat in allowed:
                            allowed[cat] |= o["checks"][cat]
            exact = bool(edges)
            for e in edges:
                for cat, attr in CHECKS:
                    cited, exp = cited_lines(e.get(attr)), c["checks"][cat]
                    exact &= (not exp or bool(cited & exp)) and cited <= allowed[cat]
                exact &= bool(c["checks"]["authn"]) or e.get("authn") == "none"
            fields.append(("checks_exact", exact))
        tally(got, bad, key, fields)
    return got, other, bad, failed


def main():
    args = [a for a in sys.argv[1:] if a != "--verbose"]
    verbose = "--verbose" in sys.argv
    if len(args) != 2:
        print(__doc__.rsplit("\n", 1)[-1])
        return 2
    trustmap, corpus = os.path.abspath(args[0]), args[1]
    if os.path.basename(os.path.normpath(corpus)) != "gateway-configs":
        corpus = os.path.join(corpus, "gateway-configs")
    tables = {t: os.path.join(corpus, "_derived", "%s_routes.tsv" % t) for t in ("envoy", "kong")}
    for p in tables.values():
        if not os.path.isfile(p):
            print("skipped: %s is absent (the shared corpus' gateway-configs ground truth)" % p)
            return 77
    try:
        import yaml  # noqa: F401  (the route lines are read off the files)
    except ImportError:
        print("skipped: PyYAML is not installed (the route lines are read off the files with it)")
        return 77
    failed = []
    for t, fn in (("envoy", envoy), ("kong", kong), ("kong_resolved", lambda *a: kong(*a, resolved=True))):
        got, other, bad, errs = fn(trustmap, corpus, table(tables[t.split("_")[0]]))
        failed += errs
        print("%s: %s" % (t, json.dumps(got)))
        print("%s: rows that are no route trustmap models: %s" % (t, json.dumps(other, sort_keys=True)))
        for field, keys in sorted(bad.items()):
            print("%s: %s disagrees on %d rows" % (t, field, len(keys)))
            for k in keys if verbose else []:
                print("    " + k)
        for k, want in EXPECTED[t].items():
            if got.get(k, 0) < want:
                failed.append("%s %s: %d, expected %d; rows that disagree:\n      %s" % (
                    t, k, got.get(k, 0), want, "\n      ".join(bad.get(k, [])) or "?"))
    for m in failed:
        print("FAIL: " + m)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
