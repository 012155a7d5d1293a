# opentelemetry-demo: every service's OTEL_EXPORTER_OTLP_ENDPOINT is http://$(OTEL_COLLECTOR_NAME):4317,
# a reference the kubelet expands from an earlier variable of the container; read as written it named
# no Service, so no workload called the collector. References to earlier variables are expanded now;
# $$ stays a literal $, and a reference to a later variable stays as written (as the kubelet leaves it).
# A chain of variables doubling each other (doubling.yaml, 60 of them) stops at 1 KiB, as written.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
e = calls.get(("service:shop/cart", "service:shop/otelcol"))
assert e and e["address"] == ["http://otelcol:4317"] and e["evidence"][0]["line"] == 14, calls
assert len(calls) == 1, sorted(calls)  # not "nowhere": a later variable is not expanded
PY
