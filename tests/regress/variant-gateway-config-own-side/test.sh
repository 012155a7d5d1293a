# Three compose directories of one application (plain, behind Caddy, with Adminer) beside a
# Kubernetes directory. The Kubernetes directory made each compose project a system of its own, and
# a gateway's file, read by no system in particular, went into every one: the plain variant got the
# Caddyfile that only compose-tls mounts ("assumed internet-facing", routing to the plain
# orders-api, and TM-MESH-004 "around the gateway that also routes to it" with no gateway there).
# Now the compose projects are one system with or without the manifests beside them; a gateway's
# file that a service mounts is its project's, one nothing mounts its own directory's (the nginx
# conf in compose/ reaches compose/'s orders-api, not compose-admin's adminer: a note says so), and
# neither is copied into the Kubernetes system, which keeps its own Envoy file.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1 3
cp "$WORK/out" "$WORK/with.json"
cp -r "$CASE/deploy" "$WORK/repo"
rm -rf "$WORK/repo/kubernetes"
run_bounded 60 "$TRUSTMAP" scan "$WORK/repo" --format json --no-store --no-cache
expect_exit 0 1 3
cp "$WORK/out" "$WORK/without.json"
python3 - "$WORK/with.json" "$WORK/without.json" <<'PY' || fail "a gateway's file crossed into another variant (see above)"
import json, sys

def systems(d):
    first = dict(d["systems"][0], model=d["model"], findings=d["findings"], inputs=d["inputs"],
                 skipped=d["skipped"], diagnostics=d["diagnostics"])
    return [first] + d["systems"][1:]

def routes(s):
    return sorted((e["from"], e["to"]) for e in s["model"]["edges"]
                  if e["kind"] == "routes" and ("gateway:" in e["from"] or "gateway:" in e["to"]))

with_k8s, without = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = []
by = {s["variant"]: s for s in systems(with_k8s)}
if sorted(by) != ["deploy [compose]", "deploy/kubernetes"]:
    sys.exit("systems: %s, expected the compose projects as one system beside deploy/kubernetes" % sorted(by))
comp, kube = by["deploy [compose]"], by["deploy/kubernetes"]
caddy = "gateway:caddy:deploy/compose-tls/Caddyfile"
nginx = "gateway:nginx:deploy/compose/nginx/default.conf"
want = [("entrypoint:internet", nginx), (caddy, "service:compose:compose-tls/orders-api"),
        (nginx, "service:compose:compose/orders-api"), ("service:compose:compose-tls/caddy", caddy)]
if routes(comp) != want:
    bad.append("compose system's gateway routes: %s" % routes(comp))
around = [f["title"] for f in comp["findings"] if f["rule"] == "TM-MESH-004" and "around the gateway" in f["title"]]
if around:
    bad.append("TM-MESH-004 around a gateway that does not route there: %s" % around)
notes = [g["message"] for g in comp["diagnostics"] if g["path"] == "deploy/compose/nginx/default.conf"
         and "service:compose:compose-admin/adminer" in g["message"] and "its own directory (compose)" in g["message"]]
if not notes:
    bad.append("no note on the nginx route to compose-admin's adminer: %s" % comp["diagnostics"])
gw = {n["id"]: n for n in comp["model"]["nodes"]}
if "adminer:8080" not in (gw.get(nginx) or {}).get("unresolved_upstreams", []):
    bad.append("the nginx conf's adminer upstream is not listed unresolved: %s" % gw.get(nginx))
if "mounts this configuration" not in (gw.get(nginx) or {}).get("assumed", ""):
    bad.append("the unmounted nginx conf is no longer assumed: %s" % gw.get(nginx))
if any(n["id"].startswith("gateway:envoy:") for n in comp["model"]["nodes"]):
    bad.append("the Kubernetes directory's Envoy file is in the compose system")
kgw = sorted(n["id"] for n in kube["model"]["nodes"] if n["kind"] == "gateway")
if kgw != ["gateway:envoy:deploy/kubernetes/envoy.yaml"]:
    bad.append("Kubernetes system's gateways: %s" % kgw)
if routes(kube) != [("entrypoint:internet", "gateway:envoy:deploy/kubernetes/envoy.yaml"),
                    ("gateway:envoy:deploy/kubernetes/envoy.yaml", "service:default/orders")]:
    bad.append("Kubernetes system's gateway routes: %s" % routes(kube))
skipped = {x["path"]: x["reason"] for x in kube["skipped"]}
for p in ("deploy/compose-tls/Caddyfile", "deploy/compose/nginx/default.conf"):
    if "compose variant" not in skipped.get(p, ""):
        bad.append("%s in the Kubernetes system: %s" % (p, skipped.get(p)))
# the split of the compose projects does not depend on the Kubernetes directory beside them
alone = systems(without)
if len(alone) != 1:
    bad.append("without the manifests: %s systems" % [s["variant"] for s in alone])
def compose_view(s):
    nodes = sorted(n["id"].replace("deploy/", "") for n in s["model"]["nodes"] if n["id"].startswith(("service:compose:", "gateway:")))
    return nodes, sorted((a.replace("deploy/", ""), b.replace("deploy/", "")) for a, b in routes(s))
if compose_view(alone[0]) != compose_view(comp):
    bad.append("the compose model depends on the Kubernetes directory: %s != %s" % (compose_view(alone[0]), compose_view(comp)))
if bad:
    sys.exit("\n".join(bad))
PY
exit 0
