# daprd's own flags move or hide its API: with -dapr-http-port 3711 the sidecar listens on 3711,
# so a published 3711 is the open Dapr API (TM-MESH-012 high) where only 3500/50001 were known; with
# -dapr-listen-addresses 127.0.0.1 a published 3500 reaches nothing (no finding).
. "$(dirname "$0")/../lib.sh"
for c in moved local; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$c" --format json --no-store --no-cache
  expect_exit 0 1
  python3 - "$WORK/out" "$c" <<'PY' || fail "$c: see above"
import json, sys
d, c = json.load(open(sys.argv[1])), sys.argv[2]
f = [x for x in d["findings"] if x["rule"] == "TM-MESH-012"]
if c == "moved":
    assert len(f) == 1 and f[0]["severity"] == "high" and "(3711->3711)" in f[0]["title"], f
else:
    assert not f, f
PY
done
exit 0
