# A diff of a tree holding several variants (a compose project and Kubernetes manifests) compared the
# primary variant alone: a change to another variant's files (a Service made a LoadBalancer) was
# "Review depth: none ... 0 changes" and passed --fail-on. Now the diff compares the variant whose
# inputs changed (the primary first), says which it compared, and names the other variants that
# changed too (in the review and on stderr) so each can be reviewed with --system.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/old" "$CASE/in/new" --no-store --format json --fail-on low
expect_exit 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d.get("system") == "k8s" and d.get("system_chosen_by_change") is True, d.get("system")
assert d.get("also_changed") == [], d.get("also_changed")
assert d["review_depth"] != "none" and d["findings_new"], (d["review_depth"], d["findings_new"])
assert any("service:shop/orders" in json.dumps(f) for f in d["findings_new"]), d["findings_new"]
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/old" "$CASE/in/both" --no-store --format md
expect_exit 0
grep -q 'Variant compared: `docker-compose.yml`\.' "$WORK/out" || fail "the primary variant is compared when it changed"
grep -q 'Also changed, not compared here:\*\* `k8s`' "$WORK/out" || fail "the other changed variant is named"
grep -q 'variant k8s changed too and are not in this review: run the diff again with --system k8s' "$WORK/err" ||
	fail "stderr names the variant not reviewed"
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/old" "$CASE/in/old" --no-store --format md
expect_exit 0
grep -q 'Variant compared: `docker-compose.yml`\.$' "$WORK/out" || fail "no change: the primary, nothing else named"
! grep -q 'Also changed' "$WORK/out" || fail "nothing else changed"
