# Every path parameter was an object identifier: maxRounds (a round count) got TM-API-002
# "guessable integers". A parameter that does not read as a reference and follows a segment that
# is no collection (/maxRounds/{maxRounds}, /roundDuration/{newDuration}, /search/{term}) is a
# value; ids, collection members (/planets/{planet}), lookups (/by-uid/{uid}) and leading
# parameters stay object ids.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = {n["path"]: [i.split(":")[0] for i in n.get("object_ids", [])] for n in d["model"]["nodes"] if n["kind"] == "endpoint"}
assert ids["/games/{gameId}/maxRounds/{maxRounds}"] == ["gameId"], ids
assert ids["/games/{gameId}/roundDuration/{newDuration}"] == ["gameId"], ids
assert ids["/planets/{planet}/robots/{robotNumber}"] == ["planet", "robotNumber"], ids
assert ids["/{owner}/{repo}/search/{term}"] == ["owner", "repo"], ids
assert ids["/entities/by-uid/{uid}"] == ["uid"], ids
t = [a["title"] for x in d["findings"] if x["rule"] == "TM-API-002" for a in x.get("affected") or [x]]
m = [x for x in t if "maxRounds" in x]
assert len(m) == 1 and "guessable" not in m[0], t
PY
exit 0
