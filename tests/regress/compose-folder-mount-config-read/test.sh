# grafana/loki and ory/kratos (trials AK, AJ): a configuration file inside a directory a compose
# service bind-mounts was skipped ("no recognised document") though the service's command line
# names it (`-config.file=/etc/loki/loki.yaml` with ./config:/etc/loki/, `-c
# /etc/config/kratos/kratos.yml` with the directory at /etc/config/kratos), and so was Prometheus'
# prometheus.yml mounted through ./prometheus:/etc/prometheus, where the image reads it unasked:
# their credentials (TM-SEC-006) and calls were missed. A file read through a directory mount is
# read as one mounted itself is; a directory no program reads a file of (docs) reads nothing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
skipped = [s["path"] for s in d["skipped"]]
for f in ("tempo/tempo.yaml", "identity/hydra/hydra.yml", "prometheus/prometheus.yml"):
    assert f not in skipped, (f, skipped)
assert "notes/links.yaml" in skipped, skipped
calls = {(e["from"].split("/")[-1], e["to"].split("/")[-1]) for e in d["model"]["edges"] if e["kind"] == "calls"}
for c in (("tempo", "objects"), ("hydra", "sessions-db"), ("prometheus", "node-exporter")):
    assert c in calls, (c, sorted(calls))
assert ("docs", "node-exporter") not in calls, sorted(calls)
sec = {f["title"].split(":")[0] for f in d["findings"] if f["rule"] == "TM-SEC-006"}
held = {e["from"].split("/")[-1]: e["to"] for e in d["model"]["edges"] if e["kind"] == "mounts" and e["to"].startswith("secret:config:")}
assert held.get("tempo") == "secret:config:tempo/tempo.yaml", held
assert held.get("hydra") == "secret:config:identity/hydra/hydra.yml", held
assert any(f["rule"] == "TM-SEC-006" for f in d["findings"]), sec
PY
exit 0
