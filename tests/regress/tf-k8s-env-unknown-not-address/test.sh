# Env values from variables without a value (DB_HOST = var.db_hostname, "${var.cache}:6379")
# became calls to one fake service named "unknown" (the text "unknown (var.x)" read as a host), and
# different unknowns merged into it. An unresolved value names no peer: no call edge; the render's
# note lists it. A written address (PAYMENTS_URL) still makes its call. Nor is an unknown image
# an image name ("image not pinned by digest (unknown (...))"): it is listed unresolved.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "unresolved env values read as addresses (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
ids = {n["id"]: n for n in j["model"]["nodes"]}
for i, n in ids.items():
    if "unknown" in n.get("name", "") or "unknown" in i:
        bad.append("a node from an unresolved value: %s" % i)
calls = sorted(e["to"] for e in j["model"]["edges"] if e["kind"] == "calls" and e["from"] == "service:shop/orders")
if calls != ["service:shop/payments"]:
    bad.append("calls: %s" % calls)
ctr = [f["title"] for f in j["findings"] if f["rule"] == "TM-CTR-004" and "unknown" in f["title"]]
if ctr:
    bad.append("an unknown image judged: %s" % ctr)
unres = ids.get("service:shop/orders", {}).get("unresolved", [])
if not any("var.registry" in u for u in unres):
    bad.append("the unknown image is not listed: %s" % unres)
notes = " ".join(d["message"] for d in j["diagnostics"])
for v in ("var.db_hostname", "var.cache_endpoint"):
    if v not in notes:
        bad.append("%s is not said" % v)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
