#!/usr/bin/env python3
"""trustmap against Istio's own analyzer (istioctl analyze) on the analyzer's test fixtures (corpus istio).

../shared/corpus/istio/_derived/analyzer_expected_messages.tsv lists, per analyzer test case of
istio/istio pkg/config/analysis/analyzers, the input files (relative to that directory), the mesh
config, and every message the analyzer expects: analyzer, message, code (IST0xxx), level and the
resource (`Kind name` or `Kind namespace/name`). Rows whose message is "(none: no-false-positive
case)" are the control: the analyzer finds those fixtures clean.

Each test case's input files are scanned together, as the analyzer reads them (`trustmap scan FILES...
--no-store --no-cache --format json`, from the analyzers directory so the display paths are the
table's). An expected message is
  named  when a trustmap finding or diagnostic is about the same resource: evidence or the
         diagnostic's place inside that resource's document, or the finding's subject (a workload's
         service:NS/NAME, an Istio gateway's gateway:istio:NS/NAME) or title ("Kind NS/NAME");
  fact   when, in addition, that output states the analyzer's fact: a rule of SIGNALS[class] or
         text matching its pattern.
Each code is classified (CLASSES) as security-relevant (S: a threat model must say it), relevant
to trustmap's model (M: a reference or setting it must resolve to model reachability right) or out
of scope (O). Prints the table by class, the high/critical findings on resources the analyzer does
not flag (possible false positives, to judge), and the control. Exits 1 when the agreement on a
security-relevant class falls below EXPECTED (a ratchet: raise it as trustmap improves), naming the
rows that agreed before and no longer do. Skips (77), saying so, when the corpus is absent.

Measured (trustmap 0.1.0, istio @86c9f01f; 242 rows, 216 messages and 26 control rows; 101 test cases, 103 scans,
about 2 s): security-relevant 31 messages, 4 named, 0 fact: AuthorizationPolicy
httpbin/httpbin-bogus-ns twice (TM-ID-001, for its namespaces: ["*"], not for the namespaces that do
not exist) and two TCP VirtualServices by the note that their gateway was not scanned. Model-relevant
93: 9 named, 1 fact (IST0101 VirtualService httpbin-bogus: "bound to gateway 'httpbin-gateway-bogus',
which was not scanned"). Out of scope 92. High/critical findings on resources the analyzer does not
flag: TM-CTR-001 (a hostNetwork pod) and 4 TM-SEC-003 (committed TLS private keys, a remote-cluster
kubeconfig token); control: 0. Findings of UNRELATED rules (image tags, limits, tokens, default-deny,
shared accounts) do not count as naming a resource: with them 5 more security rows would be
"named" (the four UID-1337 workloads, istiod for IST0175) for reasons that have nothing to do with
the message.
Usage: istio_analyzer_compare.py TRUSTMAP CORPUS_DIR [--json OUT] [-v]  (-v: what trustmap says on each S/M row)"""
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written anywhere
import collections, csv, json, re, subprocess, sys, tempfile

ANALYZERS = os.path.join("istio", "pkg", "config", "analysis", "analyzers")
TABLE = os.path.join("istio", "_derived", "analyzer_expected_messages.tsv")

# Class of each message: looked up as CODE/analyzer, then CODE/resource kind, then CODE.
# S: security-relevant, M: relevant to trustmap's model, O: out of scope. One line why each.
CLASSES = {
    # --- security-relevant
    "IST0101/authz.AuthorizationPoliciesAnalyzer": ("S", "a source (not)namespaces pattern matches no Namespace: a latent grant to whoever creates it, or an exclusion that excludes nothing"),
    "IST0127": ("S", "AuthorizationPolicy selects no workload: the protection it states exists nowhere (label drift)"),
    "IST0128": ("S", "DestinationRule originates TLS without caCertificates: the server is not verified, MITM on that hop"),
    "IST0129": ("S", "the same at port level"),
    "IST0130": ("S", "a VirtualService rule shadowed by an earlier match never applies: a redirect, fault or narrower route relied on is dead"),
    "IST0144": ("S", "app container runs as UID 1337 (the proxy's): its outbound traffic escapes capture, so mTLS and egress policy"),
    "IST0149": ("S", "routing on JWT claims at a gateway no RequestAuthentication covers: an identity-based decision never validated"),
    "IST0166/AuthorizationPolicy": ("S", "selector on Gateway-API gateway pods is ignored (targetRefs needed): the stated authorization is not enforced"),
    "IST0166/RequestAuthentication": ("S", "selector on Gateway-API gateway pods is ignored: JWTs are not validated there"),
    "IST0175": ("S", "RequestAuthentication jwksUri fetched by istiod without BLOCKED_CIDRS_IN_JWKS_URIS: SSRF from the control plane"),
    # --- relevant to the model (reachability, exposure, which config applies)
    "IST0101/virtualservice.DestinationHostAnalyzer": ("M", "route to a host no Service or ServiceEntry defines: the edge goes nowhere"),
    "IST0101/virtualservice.DestinationRuleAnalyzer": ("M", "route to an undefined subset: the route fails, no reachability"),
    "IST0101/virtualservice.GatewayAnalyzer": ("M", "VirtualService bound to a Gateway that does not exist: its routes are exposed nowhere"),
    "IST0101/gateway.IngressGatewayPortAnalyzer": ("M", "Gateway selector matches no pod: the Gateway exposes nothing"),
    "IST0101/gateway.SecretAnalyzer": ("M", "credentialName secret missing: that TLS server is not served (fails closed: availability, not exposure)"),
    "IST0161": ("M", "gateway TLS secret invalid or expired: the listener fails (fails closed)"),
    "IST0101/sidecar.SelectorAnalyzer": ("M", "Sidecar selects no workload: its egress/ingress scoping applies nowhere"),
    "IST0110": ("M", "two Sidecars select one workload: which egress scope applies is undefined"),
    "IST0111": ("M", "several namespace-wide Sidecars: which egress scope applies is undefined"),
    "IST0167": ("M", "Sidecar in an ambient namespace has no effect"),
    "IST0102": ("M", "namespace not labelled for injection: its pods are outside the mesh (trustmap's evaluator reads the label)"),
    "IST0148": ("M", "the injector injects unlabelled namespaces by default: more pods in the mesh than the labels say"),
    "IST0109": ("M", "several VirtualServices claim one host on the mesh gateway: only one applies"),
    "IST0112": ("M", "destination without a port on a multi-port Service: the route is ambiguous"),
    "IST0131": ("M", "a match covered by an earlier one is never taken: its paths are not routed"),
    "IST0132": ("M", "VirtualService host not served by its Gateway: the route is not exposed there"),
    "IST0140": ("M", "mesh route rules of a host do not apply to ingress traffic"),
    "IST0145": ("M", "two Gateways claim one selector, port and host: one server is dropped"),
    "IST0162": ("M", "Gateway port not opened by the gateway's Service: that server is unreachable from outside"),
    "IST0165": ("M", "VirtualService bound to a Gateway-API generated gateway: a binding that is not stable"),
    "IST0173": ("M", "DestinationRule subset selects no pods: routes to it fail"),
    "IST0174": ("M", "DestinationRule for a host that does not exist: its settings apply nowhere"),
    "IST0177": ("M", "ServiceEntries give one host:port two protocols: one is dropped"),
    "IST0134": ("M", "TCP ServiceEntry without addresses matches all traffic on its port: egress wider than written"),
    # --- out of scope for a threat model
    "IST0002": ("O", "deprecated field"),
    "IST0103": ("O", "a live Pod lacking the proxy container: cluster state; manifests never carry the injected container"),
    "IST0107": ("O", "annotation on the wrong kind of resource"),
    "IST0108": ("O", "unknown annotation"),
    "IST0125": ("O", "invalid annotation value"),
    "IST0135": ("O", "deprecated annotation"),
    "IST0136": ("O", "alpha annotation"),
    "IST0116": ("O", "one Deployment behind Services with different port protocols: protocol selection"),
    "IST0137": ("O", "conflicting container/service ports: protocol selection"),
    "IST0118": ("O", "port name without a protocol prefix: protocol sniffing (authz on such a port fails closed)"),
    "IST0150": ("O", "ExternalName service port naming"),
    "IST0123": ("O", "both injection labels on a namespace: precedence is defined, operational"),
    "IST0126": ("O", "MeshNetworks registry name"),
    "IST0138": ("O", "one certificate on several Gateways: HTTP/2 connection reuse gives 404s (availability)"),
    "IST0139": ("O", "webhook configuration"),
    "IST0146": ("O", "image: auto without injection"),
    "IST0147": ("O", "image: auto without injection"),
    "IST0151": ("O", "EnvoyFilter patch ordering (EnvoyFilter not modelled)"),
    "IST0152": ("O", "EnvoyFilter REPLACE misuse"),
    "IST0153": ("O", "EnvoyFilter ADD misuse"),
    "IST0154": ("O", "EnvoyFilter REMOVE misuse"),
    "IST0155": ("O", "EnvoyFilter proxy version match"),
    "IST0157": ("O", "telemetry provider"),
    "IST0158": ("O", "proxy image version mismatch"),
    "IST0159": ("O", "Telemetry selector conflict"),
    "IST0160": ("O", "Telemetry without selector conflict"),
    "IST0101/telemetry.SelectorAnalyzer": ("O", "Telemetry selects no workload"),
    "IST0163": ("O", "external control plane webhooks"),
    "IST0164": ("O", "external control plane address"),
    "IST0166": ("O", "Telemetry or WasmPlugin selector on a Gateway-API gateway"),
    "IST0171": ("O", "negative status condition: cluster state, not configuration"),
    "IST0176": ("O", "Gateway API CRD version"),
}

# What states the analyzer's fact: trustmap rules, and a pattern of a finding's title or a
# diagnostic's message (lowercase). Only outputs already on the resource are tested.
SIGNALS = {
    "IST0101/authz.AuthorizationPoliciesAnalyzer": (set(), r"namespace.*(matches no|no namespace|not scanned|does not exist)"),
    "IST0127": (set(), r"(selects|applies to) no workload"),
    "IST0128": (set(), r"(cacertificates|ca certificate|server certificate|not verif|insecureskipverify)"),
    "IST0129": (set(), r"(cacertificates|ca certificate|server certificate|not verif|insecureskipverify)"),
    "IST0130": (set(), r"(never match|unreachable|shadow)"),
    "IST0144": (set(), r"1337"),
    "IST0149": (set(), r"(request\.auth\.claims|claim)"),
    "IST0166/AuthorizationPolicy": (set(), r"(targetref|ineffective|ignore)"),
    "IST0166/RequestAuthentication": (set(), r"(targetref|ineffective|ignore)"),
    "IST0175": (set(), r"(jwks|blocked_cidrs)"),
    "IST0101/virtualservice.DestinationHostAnalyzer": (set(), r"(host|destination).*(not scanned|no service|not defined|not found|no workload)"),
    "IST0101/virtualservice.DestinationRuleAnalyzer": (set(), r"subset"),
    "IST0101/virtualservice.GatewayAnalyzer": (set(), r"bound to gateway .*not scanned"),
    "IST0101/gateway.IngressGatewayPortAnalyzer": (set(), r"(selects no|no workload|no pod)"),
    "IST0101/gateway.SecretAnalyzer": (set(), r"(credential|secret)"),
    "IST0161": (set(), r"(credential|certificate|expired)"),
    "IST0101/sidecar.SelectorAnalyzer": (set(), r"sidecar.*(selects no|no workload)"),
    "IST0110": (set(), r"sidecar"),
    "IST0111": (set(), r"sidecar"),
    "IST0167": (set(), r"sidecar"),
    "IST0102": (set(), r"inject"),
    "IST0148": (set(), r"inject"),
    "IST0109": (set(), r"(conflict|several virtual services|same host)"),
    "IST0112": (set(), r"port"),
    "IST0131": (set(), r"(never match|never taken|covered|shadow)"),
    "IST0132": (set(), r"host.*(not served|not listed|no server|not on)|serves none of its hosts"),
    "IST0140": (set(), r"(ingress|gateway)"),
    "IST0145": (set(), r"conflict"),
    "IST0162": (set(), r"port"),
    "IST0165": (set(), r"(internal gateway|generated by|gateway api)"),
    "IST0173": (set(), r"subset"),
    "IST0174": (set(), r"(host|destination rule)"),
    "IST0177": (set(), r"protocol"),
    "IST0134": (set(), r"address"),
}

# The ratchet, measured on the corpus: per security-relevant class, (named, fact) rows, and the rows
# (test case | resource) that agreed then, to say which stopped agreeing.
EXPECTED = {
    # a note on each source (not)namespaces pattern that matches no namespace of the scan (istio.c
    # unknown_namespaces); TM-ID-001 no longer fires on httpbin-bogus-ns, whose rule's `when` needs a token
    "IST0101/authz.AuthorizationPoliciesAnalyzer": (4, 4, {"authorizationpolicies|AuthorizationPolicy httpbin/httpbin-bogus-ns",
                                                           "authorizationpolicies|AuthorizationPolicy httpbin/httpbin-bogus-not-ns"}),
    # a warning on a policy whose selector selects no scanned workload of its namespace (istio.c
    # unselected); httpbin-empty-namespace-wide is namespace-wide in a namespace with no pods scanned
    "IST0127": (3, 3, {"authorizationpolicies|AuthorizationPolicy istio-system/meshwide-httpbin-v1",
                       "authorizationpolicies|AuthorizationPolicy httpbin/httpbin-nopods",
                       "authorizationpolicies|AuthorizationPolicy test-ambient/no-workload"}),
    # DestinationRule tls: insecureSkipVerify is read (TM-MESH-010), but every fixture is SIMPLE or MUTUAL
    # without caCertificates, which since Istio 1.21 the sidecar verifies against the system's CA bundle
    # (VERIFY_CERT_AT_CLIENT on by default): not flagged, by design
    "IST0128": (0, 0, set()),
    "IST0129": (0, 0, set()),
    # named only by the note "virtual service ... is bound to gateway 'tcp-echo-gateway', which was not
    # scanned" on the two TCP ones; mesh VirtualServices are not modelled, shadowing is not judged
    "IST0130": (2, 0, {"dupmatches|VirtualService duplicate-tcp-match", "dupmatches|VirtualService duplicate-empty-tcp"}),
    # TM-MESH-009 on a container (not istio-proxy) whose runAsUser, its own or the pod's, is 1337; the
    # fixtures scan no Istio configuration, so injection is assumed and said (medium)
    "IST0144": (4, 4, {"Application Pod SecurityContext with UID 1337|Pod pod-sec-uid",
                       "Application Container SecurityContext with UID 1337|Pod con-sec-uid",
                       "Deployment Pod SecurityContext with UID 1337|Deployment deploy-pod-sec-uid",
                       "Deployment Container SecurityContext with UID 1337|Deployment deploy-con-sec-uid"}),
    "IST0149": (0, 0, set()),         # @request.auth.claims header matches not read
    # a warning on a selector of a Gateway API gateway's pods without targetRefs (istio.c
    # gateway_pods_selected): the policy selects nothing
    "IST0166/AuthorizationPolicy": (1, 1, {"KubernetesGatewaySelector|AuthorizationPolicy default/ap-ineffective"}),
    "IST0166/RequestAuthentication": (1, 1, {"KubernetesGatewaySelector|RequestAuthentication default/ra-ineffective"}),
    "IST0175": (0, 0, set()),         # jwksUri not read
}

# Findings about a workload's hygiene, not its mesh configuration: they do not count as saying
# something about an Istio message's resource (a Pod flagged for UID 1337 is not "named" by its
# image tag or its missing default-deny).
UNRELATED = {"TM-CTR-004", "TM-CTR-005", "TM-ID-002", "TM-ID-003", "TM-MESH-006"}

WORKLOAD_KINDS = {"Deployment", "Pod", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}


def classify(code, analyzer, kind):
    for key in (f"{code}/{analyzer}", f"{code}/{kind}", code):
        if key in CLASSES:
            return key, CLASSES[key][0]
    return code, "O"


def clean(v):
    v = re.sub(r"\s+#.*$", "", v).strip()
    return v.strip("'\"")


def parse_object(lines):
    """kind, namespace, name of one object written at column 0 (lines: its text lines)."""
    kind = ns = name = None
    in_md = False
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^kind:\s*(\S+)", line)
        if m and kind is None:
            kind = clean(m.group(1))
        if re.match(r"^metadata:\s*\{", line):  # flow style
            m = re.search(r"\bname:\s*([^,}]+)", line)
            name = clean(m.group(1)) if m else name
            m = re.search(r"\bnamespace:\s*([^,}]+)", line)
            ns = clean(m.group(1)) if m else ns
            continue
        if re.match(r"^metadata:\s*$", line):
            in_md = True
            continue
        if in_md and not line.startswith(" "):
            in_md = False
        if in_md:
            m = re.match(r"^\s{1,4}name:\s*(.+)$", line)
            if m and name is None:
                name = clean(m.group(1))
            m = re.match(r"^\s{1,4}namespace:\s*(.+)$", line)
            if m and ns is None:
                ns = clean(m.group(1))
    return kind, ns, name


def documents(path, cache):
    """The objects of a YAML file, items of a `kind: List` included: (kind, namespace or None, name,
    first line, last line)."""
    if path in cache:
        return cache[path]
    docs = []
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    except OSError:
        lines = []
    start, bounds = 1, []
    for i, line in enumerate(lines, 1):
        if re.match(r"^---\s*$", line):
            bounds.append((start, i - 1))
            start = i + 1
    bounds.append((start, len(lines)))
    for a, b in bounds:
        kind, ns, name = parse_object(lines[a - 1:b])
        if kind == "List":  # each item: its lines from its dash, de-indented
            starts = [i for i in range(a, b + 1) if re.match(r"^\s{0,4}- \S", lines[i - 1])]
            for j, s0 in enumerate(starts):
                e0 = starts[j + 1] - 1 if j + 1 < len(starts) else b
                col = len(re.match(r"^(\s*- )", lines[s0 - 1]).group(1))
                item = [" " * col + lines[s0 - 1][col:]] + lines[s0:e0]
                k, n2, nm = parse_object([ln[col:] if ln[:col].strip() == "" else ln for ln in item])
                if k and nm:
                    docs.append((k, n2, nm, s0, e0))
        elif kind and name:
            docs.append((kind, ns, name, a, b))
    cache[path] = docs
    return docs


def locate(resource, files, doc_cache):
    """The (file, first, last) places of the resource among the test case's files."""
    kind, _, rest = resource.partition(" ")
    ns, _, name = rest.rpartition("/")
    ns = ns or None
    exact, loose = [], []
    for f in files:
        for k, dns, dname, a, b in documents(f, doc_cache):
            if k != kind or dname != name:
                continue
            if ns is None:
                (exact if dns is None else loose).append((f, a, b))
            elif dns == ns or (dns is None and ns == "default"):
                exact.append((f, a, b))
    return exact or loose, kind, ns, name


def scan(trustmap, files, cache, tmp):
    key = tuple(files)
    if key in cache:
        return cache[key]
    out = os.path.join(tmp, "r.json")
    if os.path.exists(out):
        os.unlink(out)
    subprocess.run([trustmap, "scan", *files, "--no-store", "--no-cache", "--format", "json", "-o", out],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    outputs = []  # (what, rule, severity, subject, text, [(path, line)])
    try:
        d = json.load(open(out))
        for fd in d["findings"]:
            locs = [(e["path"], e["line"]) for e in fd.get("evidence", [])]
            for a in fd.get("affected", []) or []:
                ev = a.get("evidence")
                for e in ([ev] if isinstance(ev, dict) else ev or []):
                    locs.append((e["path"], e["line"]))
            outputs.append(("finding", fd["rule"], fd["severity"], fd["subject"], fd["title"], locs))
        for dg in d["diagnostics"]:
            outputs.append(("diagnostic", None, dg["severity"], None, dg["message"], [(dg["path"], dg["line"])]))
    except (OSError, ValueError, KeyError):
        pass
    cache[key] = outputs
    return outputs


def on_resource(out, places, kind, ns, name):
    _, rule, _, subject, text, locs = out
    if rule in UNRELATED:
        return False
    for path, line in locs:
        for f, a, b in places:
            if path == f and a <= line <= b:
                return True
    nsd = ns or "default"
    if subject and kind in WORKLOAD_KINDS and subject == f"service:{nsd}/{name}":
        return True
    if subject and kind == "Gateway" and subject == f"gateway:istio:{nsd}/{name}":
        return True
    return f"{kind} {nsd}/{name}" in text


def states_fact(out, key):
    rules, pattern = SIGNALS.get(key, (set(), None))
    if out[1] in rules:
        return True
    return bool(pattern and re.search(pattern, out[4].lower()))


def main():
    if len(sys.argv) < 3:
        print(__doc__.rsplit("Usage: ", 1)[-1])
        return 2
    trustmap, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
    table = os.path.join(corpus, TABLE)
    root = os.path.join(corpus, ANALYZERS)
    if not os.path.exists(table) or not os.path.isdir(root):
        print(f"corpus not found at '{corpus}' ({TABLE}): skipping the istioctl analyze comparison")
        return 77
    rows = list(csv.reader(open(table, encoding="utf-8"), delimiter="\t"))[1:]
    os.chdir(root)  # display paths are then the table's (testdata/...)
    cache, doc_cache = {}, {}
    by = collections.defaultdict(lambda: [0, 0, 0])  # class key -> expected, named, fact
    agreeing = collections.defaultdict(set)          # class key -> "test|resource" named
    unlocated = []
    flagged = collections.defaultdict(list)         # file -> places of flagged resources
    scanned = []
    control = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in rows:
            test, inputs, mesh, analyzer, message, code, level, resource = r[:8]
            files = [f for f in inputs.split(";") if f] + ([mesh] if mesh else [])
            outputs = scan(trustmap, files, cache, tmp)
            scanned.append(tuple(files))
            if not code:  # the analyzer expects nothing here
                for o in outputs:
                    if o[0] == "finding" and o[2] in ("critical", "high"):
                        control.append(f"{test}: {o[1]} {o[2]} {o[3]}: {o[4]}")
                continue
            kind = resource.split(" ", 1)[0]
            key, cls = classify(code, analyzer, kind)
            places, kind, ns, name = locate(resource, files, doc_cache)
            if not places:
                unlocated.append(f"{test}: {code} {resource}")
            for p in places:
                flagged[p[0]].append(p + (code,))
            st = by[key]
            st[0] += 1
            here = [o for o in outputs if on_resource(o, places, kind, ns, name)]
            if "-v" in sys.argv and cls != "O":
                print(f"[{cls}] {test}: {code} {resource}: " + ("; ".join(f"{o[1] or o[2]}: {o[4][:100]}" for o in here) or "-"))
            if here:
                st[1] += 1
                agreeing[key].add(f"{test}|{resource}")
            if any(states_fact(o, key) for o in here):
                st[2] += 1
        # high/critical findings on no resource the analyzer flags: possible false positives
        unflagged, other = set(), set()
        for files in set(scanned):
            for o in cache[files]:
                if o[0] != "finding" or o[2] not in ("critical", "high"):
                    continue
                hits = {c for path, line in o[5] for f, a, b, c in flagged.get(path, []) if path == f and a <= line <= b}
                where = sorted({p for p, _ in o[5]}) or list(files)
                line = f"{', '.join(where)}: {o[1]} {o[2]} {o[3]}: {o[4]}"
                if hits:
                    other.add(f"{line} [analyzer: {', '.join(sorted(hits))}]")
                else:
                    unflagged.add(line)
    names = {"S": "security-relevant", "M": "model-relevant", "O": "out of scope"}
    tot = {c: [0, 0, 0] for c in names}
    print(f"{'class':2} {'code (analyzer or kind)':58} {'rows':>4} {'named':>5} {'fact':>5}  why")
    for cls in ("S", "M", "O"):
        keys = sorted((k for k in by if CLASSES.get(k, ("O",))[0] == cls), key=lambda k: (-by[k][0], k))
        for k in keys:
            e, n, f = by[k]
            for i, v in enumerate((e, n, f)):
                tot[cls][i] += v
            why = CLASSES.get(k, ("O", "unclassified"))[1]
            print(f"{cls:2} {k:58} {e:4} {n:5} {f:5}  {why[:90]}")
    for cls, (e, n, f) in tot.items():
        print(f"{names[cls] + ' (' + cls + ')':61} {e:4} {n:5} {f:5}")
    if unlocated:
        print(f"{len(unlocated)} expected messages name a resource not found in their files:")
        for u in unlocated:
            print(f"  {u}")
    print(f"possible false positives: {len(unflagged)} high/critical findings on resources the analyzer does not flag")
    for u in sorted(unflagged):
        print(f"  {u}")
    print(f"on resources the analyzer flags: {len(other)} high/critical findings (same fact or not: judge)")
    for u in sorted(other):
        print(f"  {u}")
    print(f"control: {len(set(control))} high/critical findings on fixtures the analyzer finds clean")
    for c in sorted(set(control)):
        print(f"  {c}")
    if "--json" in sys.argv:
        json.dump({k: dict(zip(("rows", "named", "fact"), v)) for k, v in by.items()},
                  open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1, sort_keys=True)
    failed = []
    for k, (named, fact, rows_then) in EXPECTED.items():
        e, n, f = by.get(k, [0, 0, 0])
        if n < named or f < fact:
            failed.append(f"{k}: named {n} (expected {named}), fact {f} (expected {fact})")
            for row in sorted(rows_then - agreeing.get(k, set())):
                failed.append(f"  no longer named: {row}")
        elif n > named or f > fact:
            print(f"better: {k}: named {n} (was {named}), fact {f} (was {fact}); raise EXPECTED")
    for k in by:
        if CLASSES.get(k, ("O",))[0] == "S" and k not in EXPECTED:
            failed.append(f"{k}: a security-relevant class without an EXPECTED entry")
    if failed:
        print("FAIL: agreement with istioctl analyze on security-relevant codes dropped")
        for line in failed:
            print(f"  {line}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
