# image = "${aws_ecr_repository.app.repository_url}:${var.image_tag}" with the tag resolving to
# "latest" was unknown as a whole, so TM-CTR-004 (a moving tag) was missed: the known tag is kept
# (the repository stays unresolved, said). A tag from a variable without a value decides nothing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "an image's known tag (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
ctr = [f for f in j["findings"] if f["rule"] == "TM-CTR-004"]
if len(ctr) != 1 or ":latest" not in ctr[0]["title"] or "var.release" in ctr[0]["title"]:
    bad.append("TM-CTR-004: %s" % [f["title"] for f in ctr])
elif (ctr[0]["evidence"][0]["path"], ctr[0]["evidence"][0]["line"]) != ("main.tf", 24):
    bad.append("located at %s" % ctr[0]["evidence"])
svc = [n for n in j["model"]["nodes"] if n["id"] == "service:ecs:shop/orders"]
unres = " ".join(svc[0].get("unresolved", [])) if svc else ""
if "repository_url" not in unres or "var.release" not in unres:
    bad.append("unresolved: %s" % unres)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
