# Numbers from input were converted before they were range-checked: a JSON real like 1e110 went
# to int64_t (undefined behaviour, json.c), NetworkPolicy ports to int unchecked. Run under UBSan
# by the sanitizer suite; the policy with out-of-range ports is refused, as the API server would.
. "$(dirname "$0")/../lib.sh"
# the same spec on one line over 64 KiB, so it goes through jansson (json.c), not libfyaml
mkdir -p "$WORK/in"
cp "$CASE/in/netpol.yaml" "$WORK/in/"
python3 - "$CASE/in/openapi.json" "$WORK/in/openapi.json" <<'PY'
import sys
s = open(sys.argv[1]).read().replace("\n", " ")
s = s.replace('"title": "big numbers"', '"title": "big numbers", "description": "' + "x" * 70000 + '"')
open(sys.argv[2], "w").write(s)
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json
expect_exit 0 1
grep -q '"/items"' "$WORK/out" || fail "the spec was not read"
grep -q 'port out of range' "$WORK/err" || fail "out-of-range ports not diagnosed"
exit 0
