# oauth2-proxy's configuration read from hostile text: broken lists and quotes, empty and unknown
# upstreams, flags with no value, and generated files with thousands of upstreams and skip rules
# and a megabyte line. Bounded work, no crash; what is readable is read (the upstream to app is a
# route), the excess said in a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the odd configuration (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
edges = [e for e in j["model"]["edges"] if e["from"] == "gateway:oauth2-proxy:oauth2-proxy.cfg"]
if not any(e["to"] == "service:compose:odd/app" and "/" in (e.get("paths") or []) for e in edges):
    print("no route to app: %s" % edges, file=sys.stderr)
    sys.exit(1)
warn = [d for d in j["diagnostics"] if "ftp://app/x is no upstream" in d["message"]]
if len(warn) != 1:
    print("the ftp upstream is not said: %s" % j["diagnostics"], file=sys.stderr)
    sys.exit(1)
PY
mkdir -p "$WORK/big"
python3 - "$WORK/big" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/oauth2-proxy.cfg", "w") as f:
    f.write("upstreams = [\n" + "".join('  "http://app%d:80/p%d/",\n' % (i, i) for i in range(5000)) + "]\n")
    f.write("skip_auth_routes = [" + ",".join('"^/s%d"' % i for i in range(5000)) + "]\n")
    f.write("skip_auth_regex = \"" + "a," * 300000 + "\"\n")
    f.write("provider = \"" + "x" * 1000000 + "\n")
with open(d + "/docker-compose.yml", "w") as f:
    f.write("services:\n  proxy:\n    image: quay.io/oauth2-proxy/oauth2-proxy\n    volumes: ['./oauth2-proxy.cfg:/c.cfg']\n"
            "    command: [" + ", ".join('"--upstream=http://x%d"' % i for i in range(3000)) + "]\n    ports: ['4180:4180']\n")
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/big" --format json --no-store --no-cache
expect_exit 0 1
grep -q "more than 64 upstreams or 32 skip-auth rules" "$WORK/out" || { head -c 2000 "$WORK/err" >&2; fail "the excess is not said"; }
exit 0
