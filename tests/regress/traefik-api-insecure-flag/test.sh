#!/usr/bin/env bash
# appwrite: Traefik's dashboard and API opened by `--api.insecure=true` on its command line, with
# port 8080 published, made no finding; the same setting in a mounted traefik.yml made TM-MESH-008.
# The flag (bare or =true, with --entrypoints.traefik.address) is now read as the static file's is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m8 = [f for f in d["findings"] if f["rule"] == "TM-MESH-008"]
assert len(m8) == 1 and "8080" in m8[0]["title"] and m8[0]["severity"] == "high", m8
PY
exit 0
