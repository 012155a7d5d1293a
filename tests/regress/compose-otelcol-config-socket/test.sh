# opentelemetry-demo: (1) the collector's otelcol-config.yml, whose exporters send to jaeger,
# prometheus and opensearch, was "no recognised document": the collector called no one; (2) its
# escape to the Docker host was explained by the read-only "/" mount listed first, not by the
# runtime socket beside it, which is what hands over the host.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"].split("/")[-1], e["to"].split("/")[-1]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
for to in ("jaeger", "prometheus", "opensearch"):
    assert ("otel-collector", to) in calls, (to, sorted(calls))
assert calls[("otel-collector", "jaeger")]["setting"] == ["src/otel-collector/otelcol-config.yml: exporters.otlp.endpoint"], calls[("otel-collector", "jaeger")]
assert "src/otel-collector/otelcol-config.yml" in {i["path"] for i in d["inputs"]}
esc = [e for e in d["model"]["edges"] if e["kind"] == "escapes-to"]
assert esc and esc[0].get("escape") and "docker.sock" in json.dumps(esc[0]), esc
PY
