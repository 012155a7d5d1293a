#!/usr/bin/env bash
# docker-zulip / mailcow trial: `query` said a service of one compose project could call a service of
# another (blog/wordpress -> shop/cache: "no policy restricts it"), though each project runs on its
# own network. Services of different projects reach each other over a network both join (an external
# one), or a port the destination publishes on the host (not on its loopback).
. "$(dirname "$0")/../lib.sh"
can() {
  run_bounded 60 "$TRUSTMAP" query can "$1" "$2" "$CASE/in" --format json --no-store --no-cache
  expect_exit 0 1
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("allow" if d["allowed"] else "deny:" + d["outcome"])' "$WORK/out"
}
[ "$(can compose:blog/wordpress compose:shop/cache)" = "deny:unreachable" ] || fail "another project's store is reachable"
[ "$(can compose:blog/wordpress compose:shop/admin)" = "deny:unreachable" ] || fail "a loopback-published port is reachable from another project"
[ "$(can compose:blog/wordpress compose:shop/web)" = "allow" ] || fail "a port published on the host is not reachable"
[ "$(can compose:edge/proxy compose:shop/api)" = "allow" ] || fail "a shared external network does not connect"
[ "$(can compose:shop/api compose:shop/cache)" = "allow" ] || fail "one project's services are apart"
exit 0
