#!/usr/bin/env python3
"""examples/gateway: a spec behind an nginx proxy links operation by operation, and the proxy's checks
decide which findings it gets. Usage: gateway_example.py TRUSTMAP SOURCE_DIR"""
import json
import os
import subprocess
import sys

os.environ.setdefault("TRUSTMAP_STORE", "none")


def main():
    tm, src = sys.argv[1], sys.argv[2]
    out = subprocess.run([tm, "scan", os.path.join(src, "examples", "gateway"), "--no-store", "--format", "json"],
                         capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        print("scan failed: %d %s" % (out.returncode, out.stderr))
        return 1
    r = json.loads(out.stdout)
    nodes = {n["id"]: n for n in r["model"]["nodes"]}
    bad = []

    def check(ok, what):
        if not ok:
            bad.append(what)

    gw = nodes.get("gateway:nginx:proxy/nginx.conf")
    check(gw is not None and gw.get("hosted_by") == ["service:compose:ticketing/proxy"], "the proxy runs the nginx gateway: %s" % gw)
    svc = {n["name"]: n.get("service") for n in nodes.values() if n["kind"] == "endpoint"}
    check(svc.get("POST /identity/api/auth/v3/check-otp") == "service:compose:ticketing/identity", "v3 OTP on identity: %s" % svc)
    check(svc.get("GET /tickets/api/tickets/{ticketId}") == "service:compose:ticketing/tickets", "ticket read on tickets: %s" % svc)
    read = nodes.get("endpoint:compose:ticketing/tickets/GET /tickets/api/tickets/{ticketId}", {})
    check(read.get("anonymous") is False and "auth_request" in (read.get("authn_at") or ""), "the ticket read is authenticated at the gateway: %s" % read)
    v3 = nodes.get("endpoint:compose:ticketing/identity/POST /identity/api/auth/v3/check-otp", {})
    check(v3.get("rate_limited") is True, "the v3 OTP check is rate limited: %s" % v3)

    found = {(f["rule"], p) for f in r["findings"] for p in f.get("path", []) if p.startswith("endpoint:")}
    def has(rule, ep):
        return (rule, ep) in found
    e = "endpoint:compose:ticketing/"
    check(has("TM-API-005", e + "identity/POST /identity/api/auth/v2/check-otp"), "TM-API-005 on the v2 OTP check")
    check(has("TM-API-013", e + "identity/POST /identity/api/auth/v2/check-otp"), "TM-API-013 on the v2 OTP check")
    check(not has("TM-API-013", e + "identity/POST /identity/api/auth/v3/check-otp"), "no TM-API-013 on the rate-limited v3")
    check(not has("TM-API-001", e + "tickets/GET /tickets/api/tickets/{ticketId}"), "no TM-API-001 behind auth_request")
    check(has("TM-API-002", e + "tickets/GET /tickets/api/tickets/{ticketId}"), "TM-API-002 on the ticket read")
    check(has("TM-API-014", e + "tickets/DELETE /tickets/api/admin/users/{userId}"), "TM-API-014 on the admin delete")
    check(has("TM-API-008", e + "tickets/GET /tickets/api/tickets"), "TM-API-008 on the unpaged list")
    # the detection requirement names the exact request and where it is logged (the proxy's access log)
    det = [f["action"]["detect"][0] for f in r["findings"] if f["rule"] == "TM-API-013"]
    check(det and "POST /identity/api/auth/v2/check-otp" in det[0] and "access log of gateway:nginx:proxy/nginx.conf" in det[0],
          "TM-API-013's detection requirement names the route and the proxy's access log: %s" % det)
    for b in bad:
        print("FAIL:", b)
    print("gateway example: %d checks failed" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
