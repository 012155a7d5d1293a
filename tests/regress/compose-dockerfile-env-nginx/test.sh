# robot-shop: the web front end's nginx template proxies /api/catalogue/ to http://${CATALOGUE_HOST}:8080,
# and the value is in web/Dockerfile (ENV CATALOGUE_HOST=catalogue), which trustmap did not read: the
# routes were dropped without a word, and the internet reached none of the APIs behind the public
# proxy. Now a Dockerfile's final stage ENV is the image's environment: its addresses are calls of
# the workload its directory names (carrying the variable, so a gateway's ${NAME} upstream resolves
# through them), a credential in it is baked into the image, and an upstream no environment gives is
# said in a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nm = lambda i: i.split("/")[-1]
calls = {(nm(e["from"]), nm(e["to"])): e for e in d["model"]["edges"] if e["kind"] == "calls"}
routes = {(e["from"], nm(e["to"])) for e in d["model"]["edges"] if e["kind"] == "routes"}
assert calls[("web", "catalogue")].get("env") == ["CATALOGUE_HOST"], calls.get(("web", "catalogue"))
assert calls[("web", "catalogue")]["evidence"][0]["path"] == "web/Dockerfile", calls[("web", "catalogue")]
assert calls[("web", "catalogue")]["evidence"][0]["line"] == 8, calls[("web", "catalogue")]["evidence"]
assert ("web", "user") in calls, ("a quoted value after a comment line inside the continuation", sorted(calls))
gw = "gateway:nginx:web/default.conf.template"
assert (gw, "catalogue") in routes and (gw, "user") in routes, ("the template's ${NAME} upstreams resolve", sorted(routes))
notes = [x for x in d["diagnostics"] if "RATINGS_HOST" in x["message"]]
assert notes and notes[0]["path"] == "web/default.conf.template" and notes[0]["line"] == 10, d["diagnostics"]
assert not any(e[1] == "not-this-stage" for e in calls), "only the final stage is the image"
assert not any("$backend" in x["message"] for x in d["diagnostics"]), "an nginx variable set in the file is no environment variable"
assert ("web", "cart") not in calls, "a here-doc is no instruction"
assert ("api", "cart") in calls and calls[("api", "cart")]["evidence"][0]["path"] == "docker-compose.yml", calls.get(("api", "cart"))
sec = [n for n in d["model"]["nodes"] if n["id"] == "secret:config:api/Dockerfile"]
assert sec and sec[0].get("keys") == ["DB_PASSWORD"], sec
assert "Sup3rS3cretBaked" not in open(sys.argv[1]).read(), "a value is never copied into the report"
assert any(f["rule"] == "TM-SEC-006" and "api/Dockerfile" in json.dumps(f) for f in d["findings"]), [f["rule"] for f in d["findings"]]
assert calls[("api", "user")]["evidence"][0]["path"] == "api/Dockerfile", ("an ARG default expands", calls.get(("api", "user")))
assert calls[("api", "catalogue")].get("env") == ["CATALOGUE_ADDR"], ("${NAME:-default} without NAME is its default", calls.get(("api", "catalogue")))
assert ("worker", "cart") in calls, ("the escape directive's backtick continues a line", sorted(calls))
# a tried-as-a-reviewer Dockerfile (edge/): a byte order mark, ARGs of no stage of the image, a blank
# line inside a continuation, the legacy form's quotes, "<<" that opens no here-document, a Latin-1
# comment, the workload's own environment overriding the image's, USER
assert ("edge", "user") not in calls, "a global ARG or a base stage's ARG is not the final stage's"
for to in ("ratings", "shipping", "payment"):
    assert ("edge", to) in calls and calls[("edge", to)]["evidence"][0]["path"] == "edge/Dockerfile", (to, calls.get(("edge", to)))
assert ("edge", "catalogue") not in calls and ("edge", "cart") in calls, "compose's CATALOGUE_HOST overrides the image's"
root = [a["node"] for f in d["findings"] if f["rule"] == "TM-CTR-002" for a in f.get("affected") or []]
assert root and "service:compose:default/edge" not in root, ("USER nginx: not root", root)
edge = [n for n in d["model"]["nodes"] if n["id"] == "service:compose:default/edge"][0]
assert edge.get("image_user") == ["nginx"], edge
assert ("bomb", "cart") in calls, "an expansion bomb is kept as written, and the file read to its end"
inputs = {i["path"]: i for i in d["inputs"]}
assert "web/dockerfile_test.go" not in inputs and "web/Dockerfile.md" not in inputs, sorted(inputs)
assert not any(n["id"].startswith("secret:config:web/") for n in d["model"]["nodes"]), "a Go test or Markdown is no Dockerfile"
assert "web/Dockerfile" in inputs and "api/Dockerfile" in inputs, sorted(inputs)
PY
