#!/usr/bin/env bash
# immich: hwaccel.ml.yml holds only settings for `extends` (services cpu, openvino... with no image
# or build), named by an `extends:` the project keeps commented out. It was laid over the base as a
# variant project, inventing workloads docker compose would refuse to start, with a critical
# TM-CTR-001 on one of them. And where an `extends: {file: hwaccel.yml}` does name it, a file of
# services holding only security_opt was no compose file at all ("not among the scanned compose
# files"), so its settings were lost. Now a file whose services all lack image, build and extends,
# none of them the base's, is a library with a note; and security_opt, devices, group_add and
# similar keys make a compose file. (c) An override of a service the base file includes from another
# file is no library.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/a" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a: see above"
import json, sys
d = json.load(open(sys.argv[1]))
svcs = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] == "service")
assert svcs == ["service:compose:default/app"], svcs
assert not [f for f in d["findings"] if f["rule"] == "TM-CTR-001"], "no invented workload's finding"
assert any("read as settings for `extends`" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/b" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "b: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not any("not among the scanned compose files" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
unc = [f for f in d["findings"] if f["rule"] == "TM-CTR-003"]
assert unc and "app:seccomp" in unc[0]["title"] and unc[0]["evidence"][0]["path"] == "hwaccel.yml", unc
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/c" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "c: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert [f for f in d["findings"] if f["rule"] == "TM-CTR-001"], [f["rule"] for f in d["findings"]]
PY
exit 0
