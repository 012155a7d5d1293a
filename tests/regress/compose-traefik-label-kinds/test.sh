# Container labels (`labels:`) and service labels (`deploy.labels:`) were read alike. Traefik in
# Swarm mode reads only the Swarm services' labels ("while in Swarm Mode, Traefik uses labels found
# on services, not on individual containers"), the Docker provider only the containers' (compose
# sets deploy.labels on Swarm services only): both gave false exposures. Each reads its own kind;
# a service labelled only the other way is not routed, and a note says why.
. "$(dirname "$0")/../lib.sh"
for mode in swarm docker; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$mode" --format json --no-store --no-cache
  expect_exit 0 1
  python3 - "$WORK/out" "$mode" <<'PY' || fail "$mode: see above"
import json, sys
d, mode = json.load(open(sys.argv[1])), sys.argv[2]
x = d["exposure"]
assert x.get("service:compose:default/api") == "internet", x
assert x.get("service:compose:default/metrics") != "internet", x
m = [y["message"] for y in d["diagnostics"] if "service metrics carries its Traefik labels" in y["message"]]
assert m and ("Swarm mode" if mode == "swarm" else "Docker provider") in m[0], [y["message"] for y in d["diagnostics"]]
PY
done
exit 0
