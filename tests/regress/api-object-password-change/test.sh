# An unauthenticated change to one account's password (PUT /users/{username}/password, trial T1)
# was read as part of the sign-in flow because its path says "password", and TM-API-001 left it out.
# A write to a named object's credential is no sign-in step; the reset flow (forgot, reset, a code)
# still is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ops = []
for f in d["findings"]:
    if f["rule"] == "TM-API-001":
        ops += [a["node"] for a in f.get("affected", [])] or [f["subject"]]
assert any(o.endswith("PUT /users/v1/{username}/password") for o in ops), ops
assert not any("reset" in o for o in ops), ops
PY
exit 0
