# A grpc-gateway binding's path parameter naming a nested field ({user.id}) was no object identifier
# (UpdateUser: no object_ids, no TM-API-002), and GetUser's {id} was labelled "body" though the
# binding takes it from the path. Path variables, nested or not, are path object ids; a field the
# binding leaves to neither path nor body is a query parameter.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = {n["operation_id"]: n.get("object_ids") for n in d["model"]["nodes"] if n["kind"] == "endpoint"}
assert ids["GetUser"] == ["id:path:string", "org_id:query:string"], ids
assert ids["UpdateUser"] == ["user.id:path:string"], ids
assert ids["GetBook"] == ["book.name:path:string"], ids
f = json.dumps([x for x in d["findings"] if x["rule"] == "TM-API-002"])
assert "UpdateUser" in f and "GetUser" in f, f
PY
exit 0
