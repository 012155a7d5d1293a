#!/usr/bin/env bash
# docker-jitsi-meet trial: nginx configurations written as templates (gomplate's {{ if .Env.X }},
# Jinja's {% if %}) were a syntax error ("a block needs a directive name before '{'") and every
# route was lost, the gateways left internet-facing with none. Now a tag standing alone is a
# statement of the template, skipped (both branches read), a tag inside a word stays in it, and a
# note says the file is a template.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/app" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [g for g in d["diagnostics"] if g["severity"] == "error"], d["diagnostics"]
notes = [(g["path"], g["line"]) for g in d["diagnostics"] if "a template" in g["message"]]
assert ("default.conf", 1) in notes and ("site.conf.j2", 3) in notes, notes
r = {(e["from"].split(":")[-1], e["to"].split("/")[-1], tuple(e.get("paths", []))) for e in d["model"]["edges"]
     if e["kind"] == "routes" and e["from"].startswith("gateway:")}
assert ("default.conf", "admin", ("/admin/",)) in r, r
assert ("site.conf.j2", "web", ("/",)) in r and ("site.conf.j2", "admin", ("/admin/",)) in r, r
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/broken" --format json --no-store --no-cache
expect_exit 0 1 3
grep -q "nginx.conf:3:5: error: nginx configuration: a template tag opened here is never closed" "$WORK/err" \
  || { cat "$WORK/err" >&2; fail "an unclosed tag is not said at its line"; }
exit 0
