# bitnami/wordpress: TM-SEC-002 said MariaDB's Secret "is used by 2 workloads" and asked for a
# database user per service, though the two were the database itself and its one client: the store
# that checks a credential is no second user of it. A second client would be.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(n["id"] == "datastore:blog/mariadb" for n in d["model"]["nodes"])
assert not [f for f in d["findings"] if f["rule"] == "TM-SEC-002"], [f["title"] for f in d["findings"]]
PY
cp -r "$CASE/in" "$WORK/in"
sed 's/name: wordpress/name: comments/; s/app: wordpress/app: comments/g; s/bitnami\/wordpress:6.5/registry.example\/comments:1.0/' "$CASE/in/app.yaml" |
  awk 'BEGIN{RS="---\n"; ORS="---\n"} /name: comments/' >"$WORK/in/comments.yaml"
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = [f["title"] for f in d["findings"] if f["rule"] == "TM-SEC-002"]
assert t == ["secret:k8s:blog/db-pass is used by 2 workloads"], t
PY
