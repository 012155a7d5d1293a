#!/usr/bin/env bash
# Chat-stack trial: Element's config.json map_style_url (https://api.maptiler.com/...style.json?key=...)
# was a high TM-SEC-006, though the key is a browser's: the file is served to every visitor and the
# browser fetches the map with it. Keys made for browsers are not credentials now: a URL a map is
# fetched from (style, tiles, sprites, glyphs) with its key in the query, a setting a web framework
# builds into the bundle (NEXT_PUBLIC_, VITE_...) or named public or publishable, Mapbox's public
# token (pk.eyJ). Still credentials: another URL's ?token= in the same file, a browser
# setting named for an administrator or a secret, a secret key.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
n = nodes.get("secret:config:element/config.json")
assert n and n["config_credentials"] == ["bug_report_endpoint_url"], n
lit = sorted(f["value"] for x in d["model"]["nodes"] for f in x.get("facts", []) if f["key"] == "literal_credentials")
text = json.dumps(d["findings"])
for public in ("MAPBOX_ACCESS_TOKEN", "VITE_STRIPE_KEY", "RECAPTCHA_PUBLIC_KEY", "map_style_url"):
    assert public not in text, public
for secret in ("NEXT_PUBLIC_ADMIN_API_TOKEN", "STRIPE_SECRET_KEY", "bug_report_endpoint_url"):
    assert secret in text, secret
PY
exit 0
