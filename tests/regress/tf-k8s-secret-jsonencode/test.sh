# A kubernetes_secret_v1 whose data value is jsonencode({...}) (the provider docs' docker config)
# was "warning: ... the value is not a string": the key was lost and the literal credential in it
# missed. jsonencode and yamlencode give a string: the JSON text of the evaluated value, judged as
# a JSON string written out is (a part from a variable without a value stays a placeholder, said).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" "$WORK/err" <<'PY' || fail "jsonencode in a Secret's data (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
bad = []
if "not a string" in err:
    bad.append("warning: %s" % err.strip())
sec = [f for f in j["findings"] if f["rule"] == "TM-SEC-003"]
titles = [f["title"] for f in sec]
if not any("registry-auth " in t or "registry-auth (" in t for t in titles):
    bad.append("the committed docker config is missed: %s" % titles)
if any("registry-auth-var" in t for t in titles):
    bad.append("a value from a variable without a value is taken for a committed one: %s" % titles)
for f in sec:
    e = f["evidence"][0]
    if e["path"] != "registry.tf" or e["line"] != 14:
        bad.append("located at %s:%s" % (e["path"], e["line"]))
nodes = {n["id"]: n for n in j["model"]["nodes"]}
for sid in ("secret:k8s:shop/registry-auth", "secret:k8s:shop/registry-auth-var"):
    keys = nodes.get(sid, {}).get("keys")
    if keys != [".dockerconfigjson"]:
        bad.append("%s keys: %s" % (sid, keys))
notes = [d["message"] for d in j["diagnostics"]]
if not any("var.registry_password" in m for m in notes):
    bad.append("the unknown part is not said: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
