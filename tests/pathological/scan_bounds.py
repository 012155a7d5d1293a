#!/usr/bin/env python3
"""Whole scans of generated hostile estates, each bounded in time and peak memory.

Usage: scan_bounds.py TRUSTMAP WORKDIR. The bounds are generous (a regression from linear to
quadratic work blows through them by an order of magnitude); under the sanitizer build
(TM_SANITIZED=1) time bounds are multiplied by 6 and memory bounds by 4. Prints one line per
case and a closing 'N passed, N failed' line.
"""
import os
import shutil
import subprocess
import sys
import time

TRUSTMAP, WORK = sys.argv[1], sys.argv[2]
if TRUSTMAP == "--gen":
    TRUSTMAP = WORK = None
SLOW = os.environ.get("TM_SANITIZED") == "1"
TIME_X, MEM_X = (6, 4) if SLOW else (1, 1)


def run(case, args, max_s, max_mb, ok_codes=(0, 1, 3)):
    """Run trustmap; return (exit code, seconds, peak RSS MB, stderr) and check the bounds."""
    start = time.monotonic()
    with open(os.path.join(WORK, case + ".err"), "wb") as err:
        p = subprocess.Popen([TRUSTMAP] + args, stdout=subprocess.DEVNULL, stderr=err,
                             env=dict(os.environ, TRUSTMAP_STORE="none"))
        try:
            _, status, ru = os.wait4(p.pid, 0)
        except KeyboardInterrupt:
            p.kill()
            raise
    secs = time.monotonic() - start
    rc = os.waitstatus_to_exitcode(status)
    mb = ru.ru_maxrss / 1024
    with open(os.path.join(WORK, case + ".err"), "rb") as f:
        stderr = f.read().decode("utf-8", "replace")
    problems = []
    if rc not in ok_codes:
        problems.append(f"exit {rc}")
    if secs > max_s * TIME_X:
        problems.append(f"{secs:.1f} s over {max_s * TIME_X} s")
    if mb > max_mb * MEM_X:
        problems.append(f"{mb:.0f} MB over {max_mb * MEM_X} MB")
    return problems, secs, mb, stderr


def gen_service_list(d, n):
    """A kind: List of n Services, one Deployment per ten, in 100 namespaces."""
    with open(os.path.join(d, "list.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: List\nitems:\n")
        for i in range(n):
            f.write(f"- apiVersion: v1\n  kind: Service\n  metadata: {{name: s{i}, namespace: ns{i % 100}}}\n"
                    f"  spec: {{selector: {{app: a{i}}}, ports: [{{port: 80}}]}}\n")
            if i % 10 == 0:
                f.write(f"- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {{name: s{i}, namespace: ns{i % 100}}}\n"
                        f"  spec:\n    selector: {{matchLabels: {{app: a{i}}}}}\n    template:\n"
                        f"      metadata: {{labels: {{app: a{i}}}}}\n"
                        f"      spec: {{containers: [{{name: c, image: 'img:1'}}]}}\n")


def gen_deployments(d, n):
    """A stream of n Deployments, each with its Service, in 50 namespaces."""
    with open(os.path.join(d, "deploy.yaml"), "w") as f:
        for i in range(n):
            f.write(f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}, namespace: ns{i % 50}}}\n"
                    f"spec:\n  selector: {{matchLabels: {{app: d{i}}}}}\n  template:\n"
                    f"    metadata: {{labels: {{app: d{i}, tier: web}}}}\n"
                    f"    spec: {{containers: [{{name: c, image: 'img:1'}}]}}\n"
                    f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: d{i}, namespace: ns{i % 50}}}\n"
                    f"spec: {{selector: {{app: d{i}}}, ports: [{{port: 80}}]}}\n")


def gen_platform(d, n):
    """n store Deployments (redis, with env) in 50 PSA-labelled namespaces, and n/5 cluster-wide
    admission controls: Kyverno ClusterPolicies with namespace exclusions (over the kept maximum),
    Gatekeeper constraints: what a workload costs must not grow with the number of policies."""
    with open(os.path.join(d, "platform.yaml"), "w") as f:
        for k in range(50):
            f.write(f"---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{k}\n  labels:\n"
                    f"    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/audit: restricted\n")
        for i in range(n // 5):
            f.write(f"---\napiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {{name: p{i}}}\n"
                    f"spec:\n  validationFailureAction: Enforce\n  rules:\n  - name: r\n"
                    f"    match: {{any: [{{resources: {{kinds: [Pod]}}}}]}}\n"
                    f"    exclude: {{any: [{{resources: {{namespaces: [ns{i % 50}, kube-system]}}}}]}}\n"
                    f"    validate: {{pattern: {{spec: {{containers: [{{securityContext: {{privileged: false}}}}]}}}}}}\n"
                    f"---\napiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sPSPAllowPrivilegeEscalationContainer\n"
                    f"metadata: {{name: g{i}}}\nspec: {{enforcementAction: dryrun}}\n")
        for i in range(n):
            f.write(f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: cache{i}, namespace: ns{i % 50}}}\n"
                    f"spec:\n  selector: {{matchLabels: {{app: cache{i}}}}}\n  template:\n"
                    f"    metadata: {{labels: {{app: cache{i}}}}}\n"
                    f"    spec: {{containers: [{{name: redis, image: 'redis:7', ports: [{{containerPort: 6379}}], "
                    f"env: [{{name: REDIS_PASSWORD, valueFrom: {{secretKeyRef: {{name: s{i}, key: p}}}}}}], "
                    f"securityContext: {{privileged: true}}}}]}}\n")


def gen_mesh_namespace(d, n):
    """One namespace of n Deployments, each with its Service, a NetworkPolicy selecting it by label
    (and an allow-all {} policy), a DestinationRule and a VirtualService routing an ingress Gateway
    to it: which policies select a workload, and which workloads a host names, must cost their
    matches, not a pass over every policy or Service."""
    with open(os.path.join(d, "mesh.yaml"), "w") as f:
        f.write("apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: gw, namespace: shop}\n"
                "spec:\n  selector: {istio: ingressgateway}\n"
                "  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]\n"
                "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                "metadata: {name: all, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Egress]}\n")
        for i in range(n):
            f.write(f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec:\n  selector: {{matchLabels: {{app: s{i}}}}}\n  template:\n"
                    f"    metadata: {{labels: {{app: s{i}, tier: web}}}}\n"
                    f"    spec: {{containers: [{{name: c, image: 'img:1'}}]}}\n"
                    f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{selector: {{app: s{i}}}, ports: [{{port: 80}}]}}\n"
                    f"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                    f"metadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{podSelector: {{matchLabels: {{app: s{i}}}}}, ingress: [{{from: [{{podSelector: {{}}}}]}}]}}\n"
                    f"---\napiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\n"
                    f"metadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{host: s{i}, trafficPolicy: {{tls: {{mode: ISTIO_MUTUAL}}}}}}\n"
                    f"---\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\n"
                    f"metadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{hosts: [s{i}.example.com], gateways: [gw], "
                    f"http: [{{route: [{{destination: {{host: s{i}}}}}]}}]}}\n")


def gen_istio_policies(d, n):
    """One namespace of n Deployments calling the next, each with its Service, a workload-level
    PeerAuthentication, RequestAuthentication and AuthorizationPolicy, and a VirtualService on a
    scanned ingress gateway: the policies that can apply to a workload, and the routes a gateway
    holds, must be found through indexes, not a pass over every policy per request evaluated."""
    with open(os.path.join(d, "istio.yaml"), "w") as f:
        f.write("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ingressgateway, namespace: istio-system}\n"
                "spec:\n  selector: {matchLabels: {istio: ingressgateway}}\n  template:\n"
                "    metadata: {labels: {istio: ingressgateway}}\n    spec: {containers: [{name: c, image: 'proxyv2:1'}]}\n"
                "---\napiVersion: v1\nkind: Service\nmetadata: {name: ingressgateway, namespace: istio-system}\n"
                "spec: {type: LoadBalancer, selector: {istio: ingressgateway}, ports: [{port: 80}]}\n"
                "---\napiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: gw, namespace: shop}\n"
                "spec:\n  selector: {istio: ingressgateway}\n"
                "  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]\n"
                "---\napiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\n"
                "metadata: {name: default, namespace: istio-system}\nspec: {mtls: {mode: STRICT}}\n")
        for i in range(n):
            sel = f"selector: {{matchLabels: {{app: s{i}}}}}"
            f.write(f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec:\n  selector: {{matchLabels: {{app: s{i}}}}}\n  template:\n"
                    f"    metadata: {{labels: {{app: s{i}}}}}\n"
                    f"    spec: {{containers: [{{name: c, image: 'img:1', "
                    f"env: [{{name: NEXT_URL, value: 'http://s{(i + 1) % n}:80'}}]}}]}}\n"
                    f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{selector: {{app: s{i}}}, ports: [{{port: 80}}]}}\n"
                    f"---\napiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\n"
                    f"metadata: {{name: s{i}, namespace: shop}}\nspec: {{{sel}, mtls: {{mode: STRICT}}}}\n"
                    f"---\napiVersion: security.istio.io/v1beta1\nkind: RequestAuthentication\n"
                    f"metadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{{sel}, jwtRules: [{{issuer: 'https://id.example.com'}}]}}\n"
                    f"---\napiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\n"
                    f"metadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{{sel}, action: ALLOW, "
                    f"rules: [{{from: [{{source: {{principals: ['cluster.local/ns/shop/sa/default']}}}}]}}]}}\n"
                    f"---\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\n"
                    f"metadata: {{name: s{i}, namespace: shop}}\n"
                    f"spec: {{hosts: [s{i}.example.com], gateways: [gw], "
                    f"http: [{{match: [{{uri: {{prefix: /s{i}}}}}], route: [{{destination: {{host: s{i}}}}}]}}]}}\n")


def gen_json_values(d, mb):
    """One line of JSON, about mb MB, holding far more values than the node limit."""
    item = '{"a":1,"b":[1,2,3],"c":"x"}'
    count = mb * 1000 * 1000 // (len(item) + 1)
    with open(os.path.join(d, "big.json"), "w") as f:
        f.write('{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{},"x":[')
        f.write(",".join([item] * count))
        f.write("]}")


def gen_huge_file(d, mb):
    """A single-line JSON file of mb MB: over the file-size limit, refused before it is read."""
    with open(os.path.join(d, "huge.json"), "w") as f:
        f.write('{"openapi":"3.0.0","x":"')
        chunk = "a" * (1 << 20)
        for _ in range(mb):
            f.write(chunk)
        f.write('"}')


def gen_hostnames(d, n):
    """One HTTPRoute whose hostnames list holds n names (a list attribute growing to n)."""
    with open(os.path.join(d, "route.yaml"), "w") as f:
        f.write("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: web}\n"
                "spec: {gatewayClassName: c, listeners: [{name: http, protocol: HTTP, port: 80}]}\n---\n"
                "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: web}\n"
                "spec:\n  parentRefs: [{name: g}]\n  rules: [{backendRefs: [{name: s, port: 80}]}]\n  hostnames:\n")
        for i in range(n):
            f.write(f"  - h{i}.example\n")
        f.write("---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: web}\n"
                "spec: {selector: {app: s}, ports: [{port: 80}]}\n---\n"
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: s, namespace: web}\n"
                "spec: {selector: {matchLabels: {app: s}}, template: {metadata: {labels: {app: s}}, "
                "spec: {containers: [{name: c, image: 'img:1'}]}}}\n")


def gen_tf_locals(d, n):
    """Terraform locals each naming the next four times, n deep (4^n copies if evaluated naively),
    and 5,000 resources in one module referring to them."""
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write("locals {\n")
        for i in range(n):
            f.write(f"  l{i} = [local.l{i + 1}, local.l{i + 1}, local.l{i + 1}, local.l{i + 1}]\n")
        f.write(f'  l{n} = "x"\n}}\n')
        for i in range(5000):
            f.write(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "b{i}-${{local.l{n}}}"\n}}\n')
        f.write('resource "aws_s3_bucket" "deep" {\n  bucket = "deep"\n  tags = { t = local.l0 }\n}\n')


def gen_workflow_flows(d, n):
    """One workflow whose run block writes n tainted step outputs ($X and ${{ env.X }} on each line),
    then a line of unclosed `${{`: every line is a data-flow hop and a located fact."""
    os.makedirs(os.path.join(d, ".github", "workflows"))
    with open(os.path.join(d, ".github", "workflows", "big.yml"), "w") as f:
        f.write("name: big\non: pull_request_target\nenv:\n  X: ${{ github.event.pull_request.title }}\n"
                "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - id: s\n        run: |\n")
        for i in range(n):
            f.write(f'          echo "o{i}=$X ${{{{ env.X }}}}" >> $GITHUB_OUTPUT\n')
        f.write("          " + "${{ " * 20000 + "\n")
        f.write("      - run: echo ${{ steps.s.outputs.o1 }}\n")


# name, generator, argument, time bound (s), memory bound (MB), text stderr must hold
CASES = [
    ("services-100k-list", gen_service_list, 100000, 20, 1200, None),
    ("deployments-10k", gen_deployments, 10000, 20, 1000, None),
    ("hostnames-100k", gen_hostnames, 100000, 15, 800, None),
    ("platform-10k-stores-2k-policies", gen_platform, 10000, 30, 1200, None),
    ("mesh-namespace-10k", gen_mesh_namespace, 10000, 8, 1200, None),
    ("istio-policies-10k", gen_istio_policies, 10000, 8, 1200, None),
    ("json-60mb-over-node-limit", gen_json_values, 60, 10, 400, "over the limit"),
    ("json-200mb-single-line", gen_huge_file, 200, 10, 300, "over the limit"),
    ("terraform-locals-exponential", gen_tf_locals, 40, 10, 600, "evaluation stopped"),
    ("workflow-flows-50k", gen_workflow_flows, 50000, 10, 400, None),
]

if sys.argv[1] == "--gen":
    # generation runs in a child so the parent stays small: a child's peak RSS starts at its
    # parent's size at fork (Linux keeps ru_maxrss across exec)
    for name, gen, arg, *_ in CASES:
        if name == sys.argv[2]:
            gen(sys.argv[3], arg)
    sys.exit(0)

passed = failed = 0
os.makedirs(WORK, exist_ok=True)
for name, gen, arg, max_s, max_mb, needle in CASES:
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    subprocess.run([sys.executable, __file__, "--gen", name, d], check=True)
    problems, secs, mb, stderr = run(name, ["scan", d, "--no-store", "--format", "json"], max_s, max_mb)
    if needle and needle not in stderr:
        problems.append(f"stderr lacks '{needle}'")
    if "AddressSanitizer" in stderr or "runtime error:" in stderr:
        problems.append("sanitizer report")
    shutil.rmtree(d, ignore_errors=True)
    if problems:
        failed += 1
        print(f"FAIL {name}: {secs:.2f} s, {mb:.0f} MB: {'; '.join(problems)}")
        sys.stdout.write(stderr[-2000:])
    else:
        passed += 1
        print(f"ok   {name}: {secs:.2f} s, {mb:.0f} MB")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
