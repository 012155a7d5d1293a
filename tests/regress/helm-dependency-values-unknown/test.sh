#!/usr/bin/env bash
# docker-zulip trial: a chart whose dependency (Bitnami's redis) is not vendored read
# .Values.redis.auth.password, a default the dependency's own values.yaml gives; the render stopped
# at Go's nil pointer error and the chart's workload, with its committed API token, was lost. Now a
# key missing under a missing dependency's values (by alias or name) reads as an unknown default;
# elsewhere Go's error stands.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/chart" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [g for g in d["diagnostics"] if g["severity"] == "error"], d["diagnostics"]
names = [n["id"] for n in d["model"]["nodes"] if n["kind"] == "service"]
assert any(n.endswith("/release-name-app") for n in names), names
f = [x["title"] for x in d["findings"] if x["rule"] == "TM-SEC-001"]
assert any("API_TOKEN" in t for t in f), f
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/plain" --format json --no-store --no-cache
expect_exit 0 1 3
grep -q "nil pointer evaluating interface {}.password" "$WORK/out" "$WORK/err" || fail "a missing key outside a dependency's values no longer stops the render as Go does"
exit 0
