# A compose service joining a network no top-level `networks:` declares (`networks:
# [twroa.network]`, a typo'd or forgotten declaration: docker compose refuses to start it) was
# modelled silently. Now a warning at the item (path:line:col), and the service still joins it in
# the model. Declared in the override file, an external network, `default`, or a project with
# `include:` (whose included files' networks are its own): no warning.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/fire" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "fire: see above"
import json, sys
d = json.load(open(sys.argv[1]))
w = [(g["path"], g["line"], g["column"]) for g in d["diagnostics"]
     if g["severity"] == "warning" and "no top-level networks" in g["message"]]
assert w == [("docker-compose.yml", 11, 7), ("docker-compose.yml", 15, 26)], d["diagnostics"]
msgs = " ".join(g["message"] for g in d["diagnostics"])
assert "'element.net'" in msgs and "'backend_net'" in msgs and "'frontend'" not in msgs, msgs
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert nodes["service:compose:default/element"]["network_ids"] == ["default_element.net"], nodes
assert nodes["service:compose:default/synapse"]["network_ids"] == ["default_backend_net", "default_frontend"], nodes
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/fire" --no-store --no-cache
grep -q "docker-compose.yml:11:7: warning: compose service 'element' joins network 'element.net'" "$WORK/err" \
  || fail "stderr: $(cat "$WORK/err")"
for q in override include; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$q" --no-store --no-cache --format json
  expect_exit 0 1
  python3 - "$WORK/out" "$q" <<'PY' || fail "$q: see above"
import json, sys
d = json.load(open(sys.argv[1]))
w = [g for g in d["diagnostics"] if "no top-level networks" in g["message"]]
assert not w, w
if sys.argv[2] == "override":
    nodes = {n["id"]: n for n in d["model"]["nodes"]}
    assert nodes["service:compose:default/app"]["network_ids"] == ["default_default", "traefik_public"], nodes
PY
done
exit 0
