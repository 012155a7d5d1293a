# JaneJeon/self-hosted runs Traefik (Docker provider, docker.sock) in one compose project and
# Portainer, labelled traefik.enable=true, in another on the shared external network: Traefik
# routes it. Routes across projects were not drawn, and nothing said so: Portainer read as
# unreachable. Now a Traefik routes the labelled services of other projects on a network it joins
# (regress compose-traefik-swarm-other-stack); a project whose labelled services no Traefik in the
# scan routes (no shared network, or none runs) gets a note naming the project that runs Traefik,
# or saying none in the scan does.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/in" && cp -r "$CASE/apps" "$CASE/proxy" "$WORK/in/"
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
assert d['exposure'].get('service:compose:apps/portainer') == 'internet', d['exposure']
assert not [x for x in d['diagnostics'] if 'carry Traefik labels' in x['message']], d['diagnostics']" || fail "shared: see above"
sed -i 's/public/apps-only/' "$WORK/in/apps/docker-compose.yml"
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
m = [x['message'] for x in d['diagnostics'] if 'carry Traefik labels' in x['message']]
assert m and 'project proxy runs Traefik' in m[0] and 'understated' in m[0], [x['message'] for x in d['diagnostics']]" || fail "apart: see above"
rm -rf "$WORK/in/proxy"
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
m = [x['message'] for x in d['diagnostics'] if 'carry Traefik labels' in x['message']]
assert m and 'no Traefik in the scan routes them' in m[0], [x['message'] for x in d['diagnostics']]" || fail "alone: see above"
exit 0
