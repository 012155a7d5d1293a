# TM-API-001's fix said "remove the empty `security` override" on an operation that has no
# `security` key at all. The action names the case: a requirement left out (most operations state
# one), an empty override, an empty `{}` alternative; a fold of operations whose fixes differ takes
# the rule's own text, which names each.
. "$(dirname "$0")/../lib.sh"
actions() {
  python3 - "$WORK/out" > "$WORK/actions" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
for x in d["findings"]:
    if x["rule"] == "TM-API-001":
        print("%s\t%s" % (x["title"], x["action"]["text"]))
PY
}
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/main" --format json --no-store --no-cache
expect_exit 0 1
actions
grep -F 'DELETE /store/order/{orderId} states no security requirement' "$WORK/actions" |
  grep -qF 'State the API'"'"'s security requirement on the operation (it states none while most operations do)' ||
  fail "omitted: $(cat "$WORK/actions")"
grep -F 'DELETE /store/order' "$WORK/actions" | grep -q 'override' && fail "omitted says override: $(cat "$WORK/actions")"
grep -F 'POST /pet needs no credentials' "$WORK/actions" | grep -qF 'remove its empty `security` override' ||
  fail "override: $(cat "$WORK/actions")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/optional" --format json --no-store --no-cache
expect_exit 0 1
actions
grep -F 'DELETE /pet/{petId} needs no credentials' "$WORK/actions" | grep -qF 'Drop the empty `{}` alternative' ||
  fail "optional: $(cat "$WORK/actions")"
exit 0
