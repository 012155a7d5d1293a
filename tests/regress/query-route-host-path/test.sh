#!/usr/bin/env bash
# n8n-hosting trial: `query can` took the first route into a workload whatever --host and --path were
# asked: an Ingress for api.example.com, /api answered ALLOW for /admin, an nginx location /api/ too,
# and a Traefik router for Host(example.com) for any host. A gateway's route now takes the request
# only if its hosts and paths do (nginx's server names aside: its default server takes any host).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet shop/api --host api.example.com --path /admin "$CASE/k8s"
expect_exit 1
grep -q "^DENY (404)" "$WORK/out" || { cat "$WORK/out"; fail "Ingress: /admin not refused"; }
grep -q "ingress.yaml:23:66" "$WORK/out" || { cat "$WORK/out"; fail "no evidence of the route"; }
run_bounded 60 "$TRUSTMAP" query can internet shop/api --host api.example.com --path /api/orders "$CASE/k8s"
expect_exit 0
run_bounded 60 "$TRUSTMAP" query can internet shop/api --host other.example.com --path /api/orders "$CASE/k8s"
expect_exit 1
run_bounded 60 "$TRUSTMAP" query can internet shop/api "$CASE/k8s"
expect_exit 0
run_bounded 60 "$TRUSTMAP" query can internet api --host api.example.com --path /admin "$CASE/compose"
expect_exit 1
grep -q "^DENY (404)" "$WORK/out" || { cat "$WORK/out"; fail "nginx: /admin not refused"; }
# nginx: a Host no server_name matches is served by the default server
run_bounded 60 "$TRUSTMAP" query can internet api --host other.example.com --path /api/x "$CASE/compose"
expect_exit 0
# review: a regular-expression path (ingress-nginx use-regex, /.*) is not evaluated: it takes any path
run_bounded 60 "$TRUSTMAP" query can internet shop/api --host api.example.com --path /orders "$CASE/regex"
expect_exit 0
exit 0
