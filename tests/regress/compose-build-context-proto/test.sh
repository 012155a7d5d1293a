# A .proto in the directory a compose service's image is built from was linked to nothing
# (TheRTK/example-grpc-with-envoy: grpc-app is built from the repository's top, which holds
# api/proto/message.proto; the gRPC method was analysed as an unlinked service "partner" while
# grpc-app published it to the internet). The one service built from the nearest directory holding
# a spec or a .proto serves it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ops = [n for n in d["model"]["nodes"] if n["kind"] == "endpoint"]
assert ops, "no endpoints"
for n in ops:
    assert n.get("service", "").endswith("/grpc-app"), (n["id"], n.get("service"))
    assert "build context" in n.get("linked_by", ""), n.get("linked_by")
    assert d["exposure"][n["id"]] == "internet", d["exposure"][n["id"]]
PY
exit 0
