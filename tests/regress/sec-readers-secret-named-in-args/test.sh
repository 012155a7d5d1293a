# TM-SEC-005 told a certificate generator Job that it "can read 1 secret its workloads do not use"
# (the webhook certificate Secret it creates, named by its --secret-name flag) and to mount it
# instead. A Secret the command line names by a flag whose name says secret is the workload's own;
# a flag naming a key file or a directory names no Secret, and a Secret no flag names is still
# reported.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
fs = [f for f in d["findings"] if f["rule"] == "TM-SEC-005"]
ids = [a.get("node", a.get("subject")) for f in fs for a in f.get("affected", [])] + [f.get("subject") for f in fs]
t = [f["title"] for f in fs]
assert not [x for x in ids if x and "hook-certgen" in x], (ids, t)
assert [x for x in t if "reporter" in x and "db-login" in x], t
job = [n for n in d["model"]["nodes"] if n["id"].endswith("hook-create")][0]
assert job.get("secrets_named") == ["edge/hook-cert"], job.get("secrets_named")
rep = [n for n in d["model"]["nodes"] if n["id"] == "service:edge/reporter"][0]
assert "secrets_named" not in rep, rep.get("secrets_named")
PY
exit 0
