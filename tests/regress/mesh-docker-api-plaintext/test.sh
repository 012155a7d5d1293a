#!/usr/bin/env bash
# Trial AL (Jenkins with Docker-in-Docker): a dind daemon with DOCKER_TLS_CERTDIR="" publishing
# 2375 was only TM-CTR-001 and a low TM-MESH-004; `paths --from internet` found nothing. The Docker
# Engine API without TLS client authentication, published, is root on the host for whoever reaches
# it: TM-MESH-008, critical; the path internet -> dind -> Docker host is TM-PATH-001. Also a dockerd
# started with `--host=tcp://0.0.0.0:2375` and no --tlsverify, and a daemon its client's
# DOCKER_HOST calls on 2375. Quiet: the image's default (TLS on 2376: no path starts at a daemon
# asking for client certificates), and a daemon not published.
. "$(dirname "$0")/../lib.sh"
check() { # DIR, then python asserting on the findings list `f`
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$1" --format json --no-store --no-cache
  expect_exit 0 1
  python3 -c "
import json, sys
f = json.load(open(sys.argv[1]))['findings']
m = [x for x in f if x['rule'] == 'TM-MESH-008']
p = [x for x in f if x['rule'] == 'TM-PATH-001']
$2" "$WORK/out" || fail "$1: $(python3 -c 'import json,sys; print([x["rule"]+" "+x["severity"]+" "+x["title"] for x in json.load(open(sys.argv[1]))["findings"]])' "$WORK/out")"
}
check dind "
assert len(m) == 1 and m[0]['severity'] == 'critical', m
assert 'Docker Engine API' in m[0]['title'] and 'DOCKER_TLS_CERTDIR is empty' in m[0]['title'], m[0]['title']
assert any('identity:node:compose/ci' in x['title'] and x['severity'] == 'critical' for x in p), p"
check dockerd "
assert len(m) == 1 and m[0]['severity'] == 'critical' and '--tlsverify' in m[0]['title'], m"
check client "
assert len(m) == 1 and 'DOCKER_HOST' in m[0]['title'], m"
check tls "assert not m and not p, (m, p)"
check internal "assert not m, m"
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/dind" --no-store --no-cache
expect_exit 0 1
grep -q "identity:node:compose/ci" "$WORK/out" || fail "no path to the Docker host: $(cat "$WORK/out")"
exit 0
