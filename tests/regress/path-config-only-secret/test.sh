#!/usr/bin/env bash
# Trial AK (kube-prometheus): Grafana mounts a Secret whose only key is a grafana.ini holding a time
# zone; the scan itself marks it config_value (configuration, no credential), yet TM-PATH-001 said
# "high ... to secret grafana-config" and the blast radius counted it a crown jewel. A Secret every
# key of which is such a configuration file is no target; one whose file hands out a password is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/config" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
p = [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert not p, p
for b in d.get("blast_radius", []):
    assert "secret:k8s:observability/grafana-settings" not in json.dumps(b.get("crown_jewels", [])), b
PY
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/config" --no-store --no-cache
expect_exit 0 1
grep -q "grafana-settings" "$WORK/out" && fail "a configuration-only secret is a target: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/creds" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
p = [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(p) == 1 and "secret:k8s:observability/grafana-settings" in p[0], p
PY
exit 0
