# Meilisearch was no data store: with no MEILI_MASTER_KEY in its default development mode it
# answers every caller, yet called by an internet-facing app it got only TM-MESH-003 (no datastore
# node, no TM-DATA-002, no attack path; the same shape with Redis gets both). Now a store of the
# table: open without a master key (TM-DATA-002, high when published), a key from the documentation
# (aSampleMasterKey) a login everyone knows, a key from a variable configured; MEILI_ENV=production
# without a key does not start: a note, no TM-DATA-002.
. "$(dirname "$0")/../lib.sh"
for part in dev published production keyed sample-key k8s; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --no-store --no-cache --format json
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$part.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys, os
def load(part):
    return json.load(open(os.path.join(sys.argv[1], part + ".json")))
def data002(part):
    return {f["subject"]: (f["severity"], f["title"]) for f in load(part)["findings"] if f["rule"] == "TM-DATA-002"}
def store(part, sid):
    return next((n for n in load(part)["model"]["nodes"] if n["id"] == sid), None)
d = "datastore:compose:default/"
r = data002("dev")
assert set(r) == {d + "meilisearch"} and r[d + "meilisearch"][0] == "medium" and "development mode" in r[d + "meilisearch"][1], r
assert store("dev", d + "meilisearch")["store"] == "meilisearch"
assert not [f for f in load("dev")["findings"] if f["rule"] == "TM-MESH-003"], "the store is TM-DATA-002's"
r = data002("published")
assert set(r) == {d + "search"} and r[d + "search"][0] == "high", r
r = data002("k8s")
assert set(r) == {"datastore:search/meilisearch"}, r
r = data002("sample-key")
assert set(r) == {d + "meilisearch"} and "aSampleMasterKey" in r[d + "meilisearch"][1] and "everyone knows" in r[d + "meilisearch"][1], r
assert data002("keyed") == {} and store("keyed", d + "meilisearch")["auth"] == "configured", data002("keyed")
assert data002("production") == {}, data002("production")
s = store("production", d + "meilisearch")
assert s["auth"] == "unknown" and "refuses to start" in s["not_started"][0], s
notes = [x for x in load("production")["diagnostics"] if x["severity"] == "note" and "refuses to start" in x["message"]]
assert len(notes) == 1 and notes[0]["line"] == 7, notes
PY
