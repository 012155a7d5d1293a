# With no path asked, `query` answered for a path a route serves (an HTTPRoute of /whereami.Whereami
# only, theemadnes/grpc-gateway-internal-example) but labelled the request "GET /", which that
# route refuses (404 with --path /). The answer says "any request"; --path / still asks for GET /.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet demo/whereami-grpc "$CASE/in" --no-store --no-cache --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["allowed"] and d["evaluated"] == "any request", (d["allowed"], d.get("evaluated"))
PY
run_bounded 60 "$TRUSTMAP" query can internet demo/whereami-grpc "$CASE/in" --no-store --no-cache
expect_exit 0
head -1 "$WORK/out" | grep -q ", any request$" || fail "first line: $(head -1 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet demo/whereami-grpc "$CASE/in" --no-store --no-cache --path /
expect_exit 1
grep -q "^DENY (404)" "$WORK/out" || fail "GET / asked: $(head -1 "$WORK/out")"
exit 0
