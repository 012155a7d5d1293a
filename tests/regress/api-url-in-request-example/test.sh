# A URL the server is handed, shown only in the request's media-type example (trial T2: crAPI's
# contact_mechanic takes mechanic_api, its documented SSRF challenge, as a bare string whose example
# in the media type's `example:` is a URL) was no TM-API-009: only a property's own example counted.
# A request example's (and `examples:` value's) top-level URL fields count too.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
text = json.dumps([f for f in d["findings"] if f["rule"] == "TM-API-009"])
assert "mechanic_api" in text and "mechanic_code" not in text and "problem_details" not in text, text
eps = {n["id"]: n for n in d["model"]["nodes"] if n["kind"] == "endpoint"}
urls = [u for n in eps.values() for u in n.get("url_inputs", [])]
assert sorted(urls) == ["body:callback", "body:mechanic_api"], urls
PY
exit 0
