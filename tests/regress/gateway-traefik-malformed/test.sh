# Traefik files that Traefik itself would refuse or half-load: a router that is not a mapping, one
# without a rule or a service, a middleware of two types, servers without a url, a tcp.routers
# list, entry points and booleans of the wrong shape; chains and weighted services that name
# themselves. Each is a warning at its line and column, the rest is read, and the scan ends; a
# wide cycle (every chain naming every chain, every service weighting every service) ends in time.
. "$(dirname "$0")/../lib.sh"
cp -r "$CASE/in" "$WORK/in"
python3 - "$WORK/in/wide.yml" <<'PY'
import sys
n = 120
with open(sys.argv[1], "w") as f:
    f.write("http:\n  routers:\n")
    for i in range(n):
        f.write("    r%d: {rule: \"PathPrefix(`/r%d`)\", service: s0, middlewares: [c0]}\n" % (i, i))
    f.write("  middlewares:\n")
    for i in range(n):
        f.write("    c%d: {chain: {middlewares: [%s]}}\n" % (i, ", ".join("c%d" % k for k in range(n))))
    f.write("  services:\n")
    for i in range(n):
        f.write("    s%d: {weighted: {services: [%s]}}\n" % (i, ", ".join("{name: s%d}" % k for k in range(n))))
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "malformed traefik files (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
got = {(d["path"], d["line"], d["column"], d["severity"], d["message"]) for d in j["diagnostics"]}
want = [
    ("dynamic.yml", 3, 11, "warning", "http router str is not a mapping"),
    ("dynamic.yml", 14, 16, "warning", "http router odd names no service: Traefik does not load it"),
    ("dynamic.yml", 20, 7, "warning", "middleware two is not a mapping of one type"),
    ("dynamic.yml", 30, 43, "warning", "a server of service lb has no url"),
    ("dynamic.yml", 31, 11, "warning", "http service none has no loadBalancer servers nor child services"),
    ("dynamic.yml", 33, 12, "warning", "tcp.routers is not a mapping"),
    ("dynamic.yml", 35, 3, "note", "Traefik udp routers are not modelled (1)"),
    ("dynamic.yml", 9, 14, "note", "Traefik service nowhere of router bad-mw is not defined in the files read"),
    ("traefik.yml", 2, 9, "warning", "entry point web is not a mapping"),
    ("traefik.yml", 5, 14, "warning", "api.insecure is not a boolean"),
    ("traefik.yml", 8, 23, "warning", "providers.docker.exposedByDefault is not a boolean"),
]
bad = ["missing diagnostic %s" % (w,) for w in want if w not in got]
if not any(n["id"] == "gateway:traefik:wide.yml" for n in j["model"]["nodes"]):
    bad.append("the wide file's gateway is missing")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
