# docker-compose stacks publish through a cloudflared service: one bind-mounting its config.yml
# (`tunnel --config /etc/cloudflared/config.yml run NAME`), one a quick tunnel (`tunnel --url
# http://dash:3000`). Neither was read, so their services answered DENY from the internet. Now each
# ingress rule routes to the compose service its URL names: an ssh:// rule is a TCP route, said in a
# note; an http_status rule with a path before another rule of its host is that rule's deny rule;
# noTLSVerify to an https origin and a hello_world rule are facts; --url is one route to its URL.
. "$(dirname "$0")/../lib.sh"
gw='gateway:cloudflared:homelab/cloudflared/config.yml'
quick='gateway:cloudflared:demo/docker-compose.yml#tunnel'
run_bounded 60 "$TRUSTMAP" query can internet homelab/web --method GET --path /wiki "$CASE/in" --no-cache
grep -q "^ALLOW (200) .*via $gw" "$WORK/out" || { cat "$WORK/out" >&2; fail "web is not reached through the tunnel"; }
run_bounded 60 "$TRUSTMAP" query can internet demo/dash "$CASE/in" --no-cache
grep -q "^ALLOW (200) .*via $quick" "$WORK/out" || { cat "$WORK/out" >&2; fail "the quick tunnel's origin is not reached"; }
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" "$gw" "$quick" <<'PY' || fail "the tunnels' model (see above)"
import json, sys
j = json.load(open(sys.argv[1])); gw, quick = sys.argv[2], sys.argv[3]
bad = []
nodes = {n["id"]: n for n in j["model"]["nodes"]}
g = nodes.get(gw, {})
want = {
    "hosted_by": ["service:compose:homelab/cloudflared"],
    "hosted_how": "a compose service bind-mounts a directory holding it where its program reads it "
                  "(/etc/cloudflared/config.yml: its command line)",
    "raw_tcp_routes": ["shell.example.org -> ssh://sshd:2222"],
    "origin_tls_unverified": ["files.example.org -> https://nas:5001 (noTLSVerify: any certificate is taken)"],
    "answered_routes": ["any host: http_status:404", "test.example.org: hello_world",
                        "wiki.example.org path ^/admin: http_status:403"],
}
for k, v in want.items():
    if g.get(k) != v:
        bad.append("gateway %s: %s, expected %s" % (k, g.get(k), v))
edges = {(e["from"], e["to"]): e for e in j["model"]["edges"] if e["kind"] == "routes"}
web = edges.get((gw, "service:compose:homelab/web"), {})
if web.get("deny_rules") != ["http_status:403 for path ~^/admin at homelab/cloudflared/config.yml:6"]:
    bad.append("web's route lacks the /admin deny rule: %s" % web)
ssh = edges.get((gw, "service:compose:homelab/sshd"), {})
if ssh.get("protocols") != ["tcp"] or ssh.get("paths"):
    bad.append("the ssh:// rule is no TCP route: %s" % ssh)
if not edges.get((gw, "service:compose:homelab/nas")):
    bad.append("no route to nas")
q = nodes.get(quick, {})
if not q.get("quick_tunnel") or q.get("hosted_by") != ["service:compose:demo/tunnel"]:
    bad.append("quick tunnel: %s" % q)
if edges.get((quick, "service:compose:demo/dash"), {}).get("paths") != ["/"]:
    bad.append("the quick tunnel does not route to dash")
for t in (gw, quick):
    if edges.get(("entrypoint:internet", t), {}).get("via") != "Cloudflare Tunnel":
        bad.append("the internet does not reach %s" % t)
notes = [d for d in j["diagnostics"] if "publishes SSH (ssh://sshd:2222)" in d["message"]]
if len(notes) != 1 or notes[0]["line"] != 15:
    bad.append("the SSH rule is not said: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
