# n8n was no console: published, a fresh instance's owner sign-up is open to whoever reaches it
# first, whose workflows then run any code (Code, Execute Command nodes); the files cannot show
# whether an owner exists, so the instance is taken as fresh and the finding says so: medium (an
# instance in use asks for its owner's login; n8n behind Caddy with TLS is how it is run well), from
# compose and from a LoadBalancer (`sh -c "sleep 5; n8n start"`); high for an image before 1.0
# without N8N_BASIC_AUTH_ACTIVE (its owner setup could be skipped: no login at all). Quiet: the queue worker (`command: worker`, no editor), basic
# authentication before 1.0, a loopback binding.
. "$(dirname "$0")/../lib.sh"
# the compose project and the Kubernetes manifests, each scanned as a system of its own
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012", key="node")
names = sorted(n.split("/")[-1] for n in rows)
assert names == ["n8n", "n8n", "n8n-legacy-open"], names
sev = {n.split("/")[-1] if "legacy" in n else n: s for n, (s, _) in rows.items()}
assert sev == {"service:compose:default/n8n": "medium", "service:n8n/n8n": "medium", "n8n-legacy-open": "high"}, sev
assert all("assumed a fresh instance" in t and "Execute Command" in t for _, t in rows.values()), rows
assert "no login at all" in rows["service:compose:default/n8n-legacy-open"][1], rows
PY
