#!/usr/bin/env bash
# GitOps fleet trial: clusters/prod delivers ./apps/web and clusters/staging ./apps/admin; apps/ was
# one unit, so each cluster's system took both apps (prod "exposed service:admin/admin", in the
# namespace staging's targetNamespace gives it). A delivered directory is now a unit of its own.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache --system clusters/prod
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
svc = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] == "service")
assert svc == ["service:web/web"], svc
assert "internet" not in d["exposure"].values(), d["exposure"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache --system clusters/staging
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
svc = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] == "service")
assert svc == ["service:admin/admin"], svc
assert d["exposure"].get("service:admin/admin") == "internet", d["exposure"]
PY
exit 0
