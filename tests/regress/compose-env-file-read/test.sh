#!/usr/bin/env bash
# mastodon, sentry: a compose service's env_file (.env.production, app/worker.env) was recorded and
# never read, so the calls and credentials it holds were missing without a word (web reached no
# database). Now an env_file the scan holds is the service's environment under `environment:`
# (which overrides it), with each entry's own line; one that is not committed is read from its
# example (.sample, .example...) with a note, and without one a note says what is unknown (not for
# `required: false`). An example's values are no committed credential. Also from those trials:
# DB_PASS names a credential like DB_PASSWORD, a decorated placeholder ("!!changeme!!") is none,
# :nightly is a moving tag, and a memory limit without a CPU limit says "no CPU limit".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
nm = lambda i: i.split("/")[-1]
calls = {(nm(e["from"]), nm(e["to"])): e for e in d["model"]["edges"] if e["kind"] == "calls"}
assert ("web", "db") in calls, sorted(calls)
assert calls[("web", "db")]["evidence"][0] == {"path": ".env.production", "line": 1, "column": 1}, calls[("web", "db")]
assert ("web", "cache") in calls and calls[("web", "cache")]["evidence"][0]["path"] == "docker-compose.yml", "environment: overrides the env_file"
assert ("worker", "db") in calls and calls[("worker", "db")]["evidence"][0]["line"] == 2, calls.get(("worker", "db"))
assert ("mailer", "smtp") in calls and calls[("mailer", "smtp")]["evidence"][0]["path"] == "cfg/mailer.env.sample", calls.get(("mailer", "smtp"))
msgs = [x["message"] for x in d["diagnostics"]]
assert any("./absent.env of service worker is not in the scan" in m for m in msgs), msgs
assert not any("missing.env" in m for m in msgs), "required: false is no gap"
assert any("cfg/mailer.env of service mailer" in m and "cfg/mailer.env.sample" in m for m in msgs), msgs
creds = {}
for n in d["model"]["nodes"]:
    for f in n.get("facts", []):
        if f["key"] == "literal_credentials":
            creds[f["value"]] = f["at"]
assert creds.get("web/DB_PASS", {}).get("path") == ".env.production", ("DB_PASS is a credential name", creds)
assert "web/SECRET_KEY_BASE" not in creds, ("!!changeme!! is a placeholder", creds)
assert "mailer/SMTP_PASS" not in creds, ("an example's value is nobody's secret", creds)
ctr4 = [m["title"] for m in regress.members(d["findings"], "TM-CTR-004")]
assert any("moving tag (ghcr.io/acme/web:nightly)" in t for t in ctr4), ctr4
ctr5 = [m["title"] for m in regress.members(d["findings"], "TM-CTR-005")]
assert any("web: no CPU limit" in t for t in ctr5), ctr5
assert not any("web: no resource limits" in t for t in ctr5), ctr5
# a later env_file wins (b.env turns Grafana's anonymous access off again, and sets its admin
# password: no default login); an encrypted .env.gpg
# is no environment file
assert not any(f["rule"] == "TM-MESH-012" for f in d["findings"]), [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-012"]
assert not any(".env.gpg" in x["path"] for x in d["diagnostics"] if x.get("path")), d["diagnostics"]
PY
