# A stub for a key the user must supply, one letter typed again and again (kompose's
# OPENAI_API_KEY: aaaa in spring-petclinic-microservices), was a high TM-SEC-001 "credential
# written in the repository", where xxxx was rightly a placeholder. One letter repeated is a
# placeholder now; a repeated digit (111111) stays a value: a weak password deployments do run with.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
text = " ".join(f["title"] for f in d["findings"] if f["rule"] == "TM-SEC-001")
assert "DB_PASSWORD" in text, text
assert "OPENAI_API_KEY" not in text and "AZURE_OPENAI_KEY" not in text, text
PY
exit 0
