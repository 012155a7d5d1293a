# Grants the Kubernetes "RBAC good practices" page lists as privilege escalation were "none
# sensitive": update on pods/ephemeralcontainers (kubectl debug: the caller's image inside any running
# pod, as pods/exec), create on persistentvolumes (a hostPath volume: a node's filesystem), and the
# three CSR grants (create, approval, approve on the kube-apiserver-client signer) that mint a client
# certificate for system:masters: cluster-admin, as impersonating that group is. Approval alone, or
# for another signer, is named (approve-csrs) and medium.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = {(x["rule"], x["subject"]): x for x in d["findings"] if x["rule"].startswith("TM-ID-00")}
def one(rule, sa):
    return f[(rule, "identity:k8s:ops/" + sa)]
x = one("TM-ID-004", "debugger")
assert x["severity"] == "high" and "pod-exec via ephemeral containers" in x["title"], x["title"]
dbg = next(b for b in d["blast_radius"] if b["workload"] == "service:ops/debugger")
assert "pod-exec via ephemeral containers (cluster-wide)" in dbg["capabilities"], dbg
assert "service:ops/provisioner" in dbg["services"], dbg  # it runs code in every pod
x = one("TM-ID-004", "provisioner")
assert x["severity"] == "medium" and "create-persistentvolumes (cluster-wide; hostPath ones: a node's filesystem)" in x["title"], x
assert one("TM-ID-004", "provisioner-pods")["severity"] == "high"
x = one("TM-ID-005", "csr-signer")
assert x["severity"] == "critical" and "by approving its own client certificate for system:masters" in x["title"], x["title"]
x = one("TM-ID-004", "csr-approver")
assert x["severity"] == "medium" and "approve-csrs for kubernetes.io/*, client certificates others request" in x["title"], x["title"]
x = one("TM-ID-004", "kubelet-serving")
assert x["severity"] == "medium" and "approve-csrs for kubernetes.io/kubelet-serving" in x["title"], x["title"]
assert not any("ns-only" in k[1] for k in f), [k for k in f]
PY
exit 0
