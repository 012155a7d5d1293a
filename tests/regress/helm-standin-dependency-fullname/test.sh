#!/usr/bin/env bash
# Helm trial (bitnami/wordpress as committed, common not vendored): the stand-in for
# common.names.dependency.fullname ignored the chartName it is passed and gave the chart's own full
# name, so WORDPRESS_DATABASE_PASSWORD read release-name-wordpress/mariadb-password (a key the
# chart's own Secret never writes) and DB_HOST named the workload itself. It is now the dependency's
# name, as Bitnami's _names.tpl makes it: <release>-<chartName>.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/chart" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
app = [n for n in d["model"]["nodes"] if n["id"] == "service:default/release-name-app"][0]
assert app.get("secret_env") == ["web/DB_PASSWORD <- release-name-mariadb/mariadb-password"], app.get("secret_env")
assert any(n["id"] == "secret:k8s:default/release-name-mariadb" for n in d["model"]["nodes"])
PY
exit 0
