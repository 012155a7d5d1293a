#!/usr/bin/env bash
# Flux/Argo trial: `containerPort:` left empty (a chart value nobody sets renders so) was kept as a
# port "" and a port name "http=", silently. The API server refuses such an object: it is now a
# warning at the empty value, and the port is left out.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
w = [x for x in d["diagnostics"] if x["severity"] == "warning" and "no containerPort value" in x["message"]]
assert len(w) == 1 and w[0]["path"] == "d.yaml" and w[0]["line"] == 18, d["diagnostics"]
n = [n for n in d["model"]["nodes"] if n["id"] == "service:shop/api"][0]
attrs = n.get("attrs", n)
assert "" not in (attrs.get("ports") or []) and "http=" not in (attrs.get("port_names") or []), n
PY
exit 0
