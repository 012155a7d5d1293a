# An Envoy RBAC filter was always an allow-list (allow_lists), whatever its action: `rules` with
# action DENY, or a matcher whose on_no_match allows (the envoy rbac sandbox: one referer refused,
# everything else let through), is a block-list; LOG enforces nothing, and neither does an RBAC
# without rules or matcher (shadow_rules only). Now: ALLOW (the default) is an allow-list, DENY a
# deny rule (deny_rules), LOG and no rules nothing (measured by tests/e2e/gateway_truth.py,
# checks_exact).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "envoy rbac actions (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
edges = {e["to"].rsplit("/backend-", 1)[-1]: e for e in j["model"]["edges"]
         if e["from"] == "gateway:envoy:envoy.yaml" and e["kind"] == "routes"}
# backend: (allow_lists, deny_rules), each the RBAC filter's line or none
want = {"deny": (None, 20), "allow": (49, None), "log": (None, None), "none": (None, None),
        "matcher-deny": (None, 134)}
bad = []
for name, (allow, deny) in sorted(want.items()):
    e = edges.get(name)
    if not e:
        bad.append("no route to backend-%s: %s" % (name, sorted(edges)))
        continue
    for key, line in (("allow_lists", allow), ("deny_rules", deny)):
        got = e.get(key)
        expected = ["envoy.filters.http.rbac at envoy.yaml:%d" % line] if line else None
        if got != expected:
            bad.append("backend-%s %s: %s, expected %s" % (name, key, got, expected))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
