# An Envoy filter chain whose DownstreamTlsContext requires a client certificate and verifies it
# (require_client_certificate with a trusted_ca, or a pinned verify_certificate_spki) authenticates
# every request on it, and trustmap read its routes as unauthenticated (TM-API-001 on the operations
# behind it). Now the routes carry an mtls check ("client certificate (trusted_ca) at envoy.yaml:27"),
# the gateway an mtls_listeners fact, and a chain's client certificate still checks a route that
# turns its jwt_authn off. A certificate required but verified by nothing (no validation context,
# or subject alt names matched without a CA) or verified but not required is no authentication: a
# note says so at the setting, and the route stays unauthenticated.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "envoy client certificates (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gw = "gateway:envoy:envoy.yaml"
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"] if e["from"] == gw and e["kind"] == "routes"}
bad = []
# backend: (authn, the check cited, or None)
want = {"backend-mtls": ("mtls", "client certificate (trusted_ca) at envoy.yaml:27"),
        "backend-pinned": ("mtls", "client certificate (verify_certificate_spki) at envoy.yaml:158"),
        "backend-jwt-off": ("mtls", "client certificate (trusted_ca) at envoy.yaml:195"),
        "db": ("mtls", "client certificate (trusted_ca) at envoy.yaml:216"),
        "backend-noca": ("none", None), "backend-san": ("none", None), "backend-optional": ("none", None)}
for name, (authn, how) in sorted(want.items()):
    e = edges.get(name)
    got = (e.get("authn"), (e.get("authn_checks") or [None])[0]) if e else None
    if got != (authn, how):
        bad.append("%s: %s, expected %s" % (name, got, (authn, how)))
node = next(n for n in j["model"]["nodes"] if n["id"] == gw)
facts = sorted((f["value"], f["at"]["line"]) for f in node.get("facts", []) if f["key"] == "mtls_listeners")
if facts != [("jwt port 10005", 195), ("mtls port 10000", 27), ("pinned port 10004", 158), ("postgres port 5432", 216)]:
    bad.append("mtls_listeners facts: %s" % facts)
notes = sorted((d["line"], d["column"]) for d in j["diagnostics"]
               if d["path"] == "envoy.yaml" and d["severity"] == "note" and "not read as authentication" in d["message"])
if notes != [(61, 39), (90, 39), (128, 27)]:
    bad.append("notes on the certificates that authenticate no one: %s, expected at 61:39, 90:39, 128:27" % notes)
api001 = {p for f in j["findings"] if f["rule"] == "TM-API-001" for p in f["subject"].split("/") if p.startswith("backend-")}
if "backend-mtls" in api001 or "backend-noca" not in api001:
    bad.append("TM-API-001 on %s: expected backend-noca only (mtls checks backend-mtls)" % sorted(api001))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
