# A change that publishes Ollama's port read like a fix: TM-MESH-003 (medium: the internet-facing
# chat calls it) resolved, TM-MESH-004 (low) new. Publishing a model server that asks for no
# credentials is a new TM-MESH-014, high, at least as severe as anything the change resolves; the
# chat (Open WebUI, its first sign-up its administrator) is medium in both. Open WebUI calling its
# Ollama is no attack path of its own (TM-PATH-001): taking the client over reaches the server.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
rank = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
new = d["findings_new"]
resolved = d["findings_resolved"]
mesh14 = [f for f in new if f.get("rule") == "TM-MESH-014"]
assert mesh14, ("no new TM-MESH-014", [f.get("rule") for f in new])
assert mesh14[0]["severity"] == "high", mesh14
worst = max([rank[f["severity"]] for f in resolved] or [0])
assert rank["high"] >= worst, resolved
assert not [f for f in new + resolved if f.get("rule") == "TM-PATH-001"], "TM-PATH-001 on the chat's own Ollama"
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/base" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "base: see above"
import json, sys
d = json.load(open(sys.argv[1]))
rules = {f["rule"]: f for f in d["findings"]}
assert "TM-PATH-001" not in rules, rules["TM-PATH-001"]["title"]
m = rules.get("TM-MESH-014")
assert m and m["severity"] == "medium" and "signing up as its administrator if nobody has yet" in m["title"], m
# the chat's blast radius holds its Ollama among what is worth most
br = [b for b in d["blast_radius"] if b.get("workload") == "service:compose:default/chat"]
assert br and "service:compose:default/ollama" in json.dumps(br[0]), br
PY
