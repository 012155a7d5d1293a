# A name in an env value that resolves to nothing was listed and counted as a service: after a kustomize
# namePrefix (n8n-hosting's production overlay, `prod-`) the database's Service is
# prod-database-service, kustomize leaves `DB_POSTGRESDB_HOST: database-service` as written, and the
# Markdown showed `database-service | service` among "3 services"; only the JSON said `unresolved`.
# It is now marked unresolved in the Markdown, the terminal summary and the HTML, left out of the
# count, and, where a Service of the name with the overlay's prefix exists, "did you mean" it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/deploy" --format md --no-store --no-cache
expect_exit 0 1
md="$WORK/out"
grep -q '^2 services (and 1 name the configuration calls that no Service answers, marked unresolved), ' "$md" \
  || fail "the count: $(grep -m1 'services' "$md")"
grep -q '^| `database-service` | unresolved name: did you mean `prod-database-service`? | flows |' "$md" \
  || fail "the Services row: $(grep -F '`database-service`' "$md")"
grep -q "a name the overlay's namePrefix changed: did you mean prod-database-service?" "$md" \
  || fail "the unresolved assumption does not say it: $(grep -F 'database-service`:' "$md")"
grep -q '^| `prod-database` | Deployment | flows |' "$md" || fail "a resolved service lost its row"
run_bounded 60 "$TRUSTMAP" scan "$CASE/deploy" --format summary --no-store --no-cache
expect_exit 0 1
grep -q '^  services     2  (flows/prod-database, flows/prod-flows)$' "$WORK/out" || fail "summary: $(cat "$WORK/out")"
grep -q '^  unresolved   1 name no Service answers  (flows/database-service: did you mean prod-database-service?)$' \
  "$WORK/out" || fail "summary: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/deploy" --format html --no-store --no-cache
expect_exit 0 1
grep -q '<li><b>2</b> services</li>' "$WORK/out" || fail "html: the count"
grep -q '<code>service:flows/database-service</code> <small>unresolved name: did you mean <code>prod-database-service</code>?</small>' \
  "$WORK/out" || fail "html: the Services row"
run_bounded 60 "$TRUSTMAP" scan "$CASE/deploy" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "json (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["summary"]["services"] == 2 and j["summary"]["unresolved_names"] == 1, j["summary"]
n = {x["id"]: x for x in j["model"]["nodes"]}["service:flows/database-service"]
assert n["did_you_mean"] == "prod-database-service", n
notes = [d for d in j["diagnostics"] if d["severity"] == "note" and "did you mean prod-database-service" in d["message"]]
assert len(notes) == 1 and notes[0]["path"] == "base/flows-deployment.yaml" and notes[0]["line"] == 25, notes
assert "namePrefix at overlays/production/kustomization.yaml:4" in notes[0]["message"], notes[0]["message"]
PY
# a name that no kustomization renamed: unresolved, not counted, no guess
run_bounded 60 "$TRUSTMAP" scan "$CASE/plain" --format md --no-store --no-cache
expect_exit 0 1
grep -q '^1 service (and 1 name the configuration calls that no Service answers, marked unresolved), ' "$WORK/out" \
  || fail "plain: the count: $(grep -m1 'service' "$WORK/out")"
grep -q '^| `queue-service` | unresolved name | jobs |' "$WORK/out" || fail "plain: the row: $(grep -F '`queue-service`' "$WORK/out")"
if grep -q 'did you mean' "$WORK/out"; then fail "plain: a guess with no overlay: $(grep 'did you mean' "$WORK/out")"; fi
exit 0
