#!/usr/bin/env bash
# Runtime maps at size: a generated Hubble flow export (JSON Lines, as `hubble observe -o json`
# writes it) of 25, 50 and 100 MB, and an Istio metrics scrape (Prometheus text) of 100 MB, each
# scanned beside a small manifest. Records wall time and peak RSS (GNU time) per size; streaming
# keeps memory flat in the size of the file (one line plus the distinct pairs), time linear.
# Each scan runs 3 times (median time, largest peak RSS). Checked, exit 1 when either fails: the
# Hubble time per MB at the largest size is at most 2x that at the smallest, and the peak RSS at
# the largest is at most 1.25x that at the smallest plus 16 MB (streamed: it must not grow with size).
# usage: bench/runtime.sh [BUILD_DIR] [MAX_MB]   (TM_BENCH_KEEP=1 keeps the generated files)
set -euo pipefail
build="${1:-build}"; max_mb="${2:-100}"
tm="$build/trustmap"
[ -x "$tm" ] || { echo "no $tm: build first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 1; }
work=$(mktemp -d); [ -n "${TM_BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

cat > "$work/k8s.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: web}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec: {containers: [{name: frontend, image: "registry.example/frontend:1.0"}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend, namespace: web}
spec:
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec: {containers: [{name: backend, image: "registry.example/backend:1.0"}]}
EOF

# $1 kind (hubble|istio), $2 megabytes, $3 output file: 200 workloads in 10 namespaces, calls
# between ~2,000 distinct pairs, replies and drops mixed in, one second apart.
gen() {
  python3 - "$@" <<'EOF'
import random, sys
kind, mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
limit = mb * 1000 * 1000
wl = [("ns%d" % (i % 10), "svc%d" % i) for i in range(200)] + [("web", "frontend"), ("web", "backend")]
pairs = [(random.choice(wl), random.choice(wl)) for _ in range(2000)]
def ts(n):
    s = 1772445600 + n
    return "2026-03-%02dT%02d:%02d:%02d.%09dZ" % (2 + s // 86400 - 1772445600 // 86400, (s // 3600) % 24, (s // 60) % 60, s % 60, n % 1000)
with open(out, "w") as f:
    n = size = 0
    while size < limit:
        (sns, sw), (dns, dw) = pairs[n % len(pairs)]
        if kind == "hubble":
            verdict = "DROPPED" if n % 17 == 0 else "FORWARDED"
            reply = "true" if n % 5 == 0 else "false"
            l7 = ('"Type":"L7","l7":{"type":"REQUEST","http":{"method":"GET","url":"http://%s.%s:8080/api/v1/items/%d"}},' % (dw, dns, n % 50)) if n % 3 == 0 else '"Type":"L3_L4",'
            line = ('{"flow":{"time":"%s","verdict":"%s","ethernet":{},"IP":{"source":"10.0.%d.%d","destination":"10.0.%d.%d","ipVersion":"IPv4"},'
                    '"l4":{"TCP":{"source_port":%d,"destination_port":8080,"flags":{"PSH":true,"ACK":true}}},'
                    '"source":{"ID":%d,"identity":%d,"namespace":"%s","labels":["k8s:app=%s","k8s:io.kubernetes.pod.namespace=%s"],"pod_name":"%s-6f9c7d8b5c-k2x8p","workloads":[{"name":"%s","kind":"Deployment"}]},'
                    '"destination":{"ID":%d,"identity":%d,"namespace":"%s","labels":["k8s:app=%s","k8s:io.kubernetes.pod.namespace=%s"],"pod_name":"%s-5d8f7b6c9d-q4w7z","workloads":[{"name":"%s","kind":"Deployment"}]},'
                    '%s"node_name":"node-%d","event_type":{"type":4},"traffic_direction":"EGRESS","is_reply":%s,"Summary":"TCP Flags: ACK, PSH"},'
                    '"node_name":"node-%d","time":"%s"}\n') % (
                ts(n), verdict, n % 250, n % 200, (n + 7) % 250, (n + 3) % 200, 30000 + n % 30000,
                n % 4000, 1000 + n % 300, sns, sw, sns, sw, sw, 4000 - n % 4000, 2000 + n % 300, dns, dw, dns, dw, dw,
                l7, n % 8, reply, n % 8, ts(n))
        else:
            line = ('istio_requests_total{reporter="%s",source_workload="%s",source_workload_namespace="%s",source_principal="spiffe://cluster.local/ns/%s/sa/%s",'
                    'destination_workload="%s",destination_workload_namespace="%s",destination_service="%s.%s.svc.cluster.local",request_protocol="http",'
                    'response_code="%d",connection_security_policy="%s"} %d %d\n') % (
                "source" if n % 2 else "destination", sw, sns, sns, sw, dw, dns, dw, dns,
                403 if n % 23 == 0 else 200, "none" if n % 11 == 0 else "mutual_tls", 1 + n % 1000, 1772445600000 + n)
        f.write(line)
        size += len(line)
        n += 1
EOF
}

run() { # $1 label, $2 dir, $3 file: sets secs (median of 3) and kb (largest peak RSS)
  local i t=() k=0 s m
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$tm" scan "$2" -f json -o "$work/out.json" --no-store 2>/dev/null || true
    read -r s m < "$work/time"
    t+=("$s"); [ "$m" -le "$k" ] || k=$m
  done
  secs=$(printf '%s\n' "${t[@]}" | sort -g | sed -n 2p); kb=$k
  local note mb
  mb=$(echo "$(stat -c %s "$3") / 1000000" | bc -l)
  note=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next((g["message"] for g in d["diagnostics"] if g["message"].startswith("runtime map")), "no runtime note")[:150])' "$work/out.json")
  printf '%-22s %8.2f s (%s)  %6.3f s/MB  peak %7.1f MB  %s\n' "$1" "$secs" "${t[*]}" \
    "$(echo "$secs / $mb" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$note"
  per_mb=$(echo "$secs / $mb" | bc -l)
}

first_per_mb=""; first_kb=""; last_per_mb=""; last_kb=""; last_mb=""; first_mb=""
for mb in 25 50 100; do
  [ "$mb" -le "$max_mb" ] || continue
  d="$work/hubble-$mb"; mkdir -p "$d"; cp "$work/k8s.yaml" "$d/"
  gen hubble "$mb" "$d/flows.json"
  run "hubble $(du -m "$d/flows.json" | cut -f1) MB" "$d" "$d/flows.json"
  rm -f "$d/flows.json"
  [ -n "$first_per_mb" ] || { first_per_mb=$per_mb; first_kb=$kb; first_mb=$mb; }
  last_per_mb=$per_mb; last_kb=$kb; last_mb=$mb
done
d="$work/istio-$max_mb"; mkdir -p "$d"; cp "$work/k8s.yaml" "$d/"
gen istio "$max_mb" "$d/mesh.prom"
run "istio $(du -m "$d/mesh.prom" | cut -f1) MB" "$d" "$d/mesh.prom"

status=0
if [ -n "$first_mb" ] && [ "$last_mb" != "$first_mb" ]; then
  if [ "$(echo "$last_per_mb > 2 * $first_per_mb" | bc -l)" = 1 ]; then
    printf 'FAIL: hubble %s MB takes %.3f s/MB, over 2x the %.3f s/MB of %s MB: not linear\n' \
      "$last_mb" "$last_per_mb" "$first_per_mb" "$first_mb"; status=1
  fi
  if [ "$last_kb" -gt $((first_kb * 5 / 4 + 16384)) ]; then
    printf 'FAIL: hubble %s MB peaks at %d KB, %s MB at %d KB: memory grows with the file\n' \
      "$last_mb" "$last_kb" "$first_mb" "$first_kb"; status=1
  fi
  [ "$status" = 1 ] || printf 'ok: hubble time per MB %.3f -> %.3f s (%s -> %s MB), peak %d -> %d KB\n' \
    "$first_per_mb" "$last_per_mb" "$first_mb" "$last_mb" "$first_kb" "$last_kb"
fi
exit "$status"
