# A chart of the tree that renders Hasura without HASURA_GRAPHQL_ADMIN_SECRET (its values leave the
# secret empty) behind a LoadBalancer is TM-MESH-012, high, at the rendered template; the same chart
# given an existing Secret for the admin secret stays quiet.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
ms = regress.by_node(regress.findings(sys.argv[1]), "TM-MESH-012", key="node")
rows = {k: (m["severity"], m["title"], m["finding"].get("evidence")) for k, m in ms.items()}
assert list(rows) == ["service:default/hasura-open"], rows
sev, title, ev = rows["service:default/hasura-open"]
assert sev == "high" and "no admin secret: every caller is admin" in title and "LoadBalancer" in title, rows
assert any("hasura-open/templates/" in e["path"] for e in ev or []), ev
PY
