# Ghost's `url: https://blog.example.net`, its own public address and the host of its own Ingress,
# was drawn as a call to a third party `external:blog.example.net`, so moving the blog to another
# domain read as `new-third-party` in a diff. A call read from a workload's configuration to a host
# that routes back to that workload (an Ingress rule's host, a wildcard one, a Traefik IngressRoute's
# Host rule) is its own address: no call, the external node gone, a note at the value saying which
# route serves it. A call to another host (the mail relay, the payment API) stays a third party, and
# another workload calling the blog's public address is not the blog's own address.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/blog" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "blog (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
calls = sorted((e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls")
assert calls == [("service:blog/ghost", "external:smtp.mailgun.org"), ("service:blog/ghost", "service:blog/mysql"),
                 ("service:blog/newsletter", "external:blog.example.net")], calls
notes = [g for g in d["diagnostics"] if "own public address" in g["message"]]
assert len(notes) == 1, d["diagnostics"]
g = notes[0]
assert (g["path"], g["line"], g["severity"]) == ("ghost.yaml", 23, "note"), g
assert g["message"] == ("url names blog.example.net, a host service:blog/ghost's own route serves "
                        "(gateway:blog/ghost at ghost.yaml:63): the workload's own public address, not a call "
                        "to a third party; no call is drawn"), g["message"]
PY
# a wildcard host: the storefront's own tenant address; the payment API stays a third party
run_bounded 60 "$TRUSTMAP" scan "$CASE/tenants" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "tenants (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
calls = sorted((e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls")
assert calls == [("service:shops/storefront", "external:api.stripe.com")], calls
ids = [n["id"] for n in d["model"]["nodes"]]
assert "external:www.shops.example.net" not in ids, ids
assert any("PUBLIC_URL names www.shops.example.net" in g["message"] for g in d["diagnostics"]), d["diagnostics"]
PY
# a Traefik IngressRoute's Host rule
run_bounded 60 "$TRUSTMAP" scan "$CASE/traefik" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "traefik (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [e for e in d["model"]["edges"] if e["kind"] == "calls"], d["model"]["edges"]
assert not [n for n in d["model"]["nodes"] if n["kind"] == "external"], d["model"]["nodes"]
assert any(g["message"].startswith("WIKI_BASE_URL names wiki.example.net, a host service:docs/wiki's own route serves")
           for g in d["diagnostics"]), d["diagnostics"]
PY
# the blog moved to another domain: the route takes a host it did not (a new public way in, one
# row from the diff's route comparison), no new third party
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format json --no-store --no-cache
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "diff (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
trig = [(c["trigger"], c["text"]) for c in d["changes"]]
assert trig == [("new-public-endpoint", "the route gateway:blog/ghost -> service:blog/ghost now matches hosts "
                 "news.example.net (was hosts blog.example.net): requests it did not take reach the backend "
                 "from the internet")], trig
assert not any(c["trigger"] == "new-third-party" for c in d["changes"]), d["changes"]
assert d["review_depth"] != "none", d["review_depth"]
PY
exit 0
