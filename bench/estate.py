#!/usr/bin/env python3
"""Generate a deterministic synthetic estate of N services, in the proportions real platforms have.

usage: estate.py N OUT_DIR [--layout k8s|helm|compose|gatewayapi]
       estate.py --change DIR [--layout k8s|helm|compose|gatewayapi]   (the one-service change the diff bench reviews)

Per service, in namespace team-<i % 40>: a Deployment (image pinned for most, env vars naming three
callees by in-cluster URL, a securityContext on most), a Service, a ServiceAccount, a default-deny
NetworkPolicy per namespace plus an allow policy per service, an Istio AuthorizationPolicy, an Ingress
for one service in ten, and an OpenAPI 3.0 spec of ~20 operations with shared component schemas.
Per namespace: an nginx edge proxy (a Deployment mounting a ConfigMap whose nginx.conf has one
location per service of the namespace, half of them rate limited, upstreams by Service name), as
teams front their services.
--layout helm writes each namespace's services as one Helm chart (Chart.yaml, values.yaml listing
the services, templates ranging over them through _helpers.tpl), the namespace, its default-deny
policy and its edge proxy staying plain manifests. --layout compose writes each namespace as one
docker-compose project (a service per service: image, environment naming callees by service
name, a published port for one in ten, privileged never), the specs' servers naming the compose
services. --layout gatewayapi is k8s with the Gateway API instead of Ingress: a Gateway per
namespace and an HTTPRoute for every service (a platform that routes all its services at its
gateways). The same N, layout and seed always give the same bytes.
"""
import os
import random
import sys

LAYOUT = sys.argv[sys.argv.index("--layout") + 1] if "--layout" in sys.argv else "k8s"
if LAYOUT not in ("k8s", "helm", "compose", "gatewayapi"):
    sys.exit("estate.py: --layout is k8s, helm, compose or gatewayapi")
if sys.argv[1] == "--change":
    # the first service made privileged, in the layout's own file
    d = sys.argv[2]
    path = {"k8s": "team-0/k8s/svc-0.yaml", "gatewayapi": "team-0/k8s/svc-0.yaml", "helm": "team-0/chart/values.yaml",
            "compose": "team-0/docker-compose.yml"}[LAYOUT]
    text = open(os.path.join(d, path)).read()
    marker = {"k8s": "        image: ", "gatewayapi": "        image: ", "helm": "    image: ", "compose": "    image: "}[LAYOUT]
    add = {"k8s": "        securityContext: {privileged: true}\n", "gatewayapi": "        securityContext: {privileged: true}\n",
           "helm": "    privileged: true\n", "compose": "    privileged: true\n"}[LAYOUT]
    at = text.index(marker)
    open(os.path.join(d, path), "w").write(text[:at] + add + text[at:])
    sys.exit(0)
N, OUT = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1234)
NS = 40


def ns_of(i):
    return f"team-{i % NS}"


def deployment(i, callees):
    env = "".join(
        f"        - name: DEP{k}_URL\n          value: http://svc-{c}.{ns_of(c)}.svc.cluster.local:8080\n"
        for k, c in enumerate(callees))
    image = f"registry.example/svc-{i}:1.{i % 7}.0" if i % 5 else f"registry.example/svc-{i}:latest"
    sc = "" if i % 11 == 0 else ("        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, "
                                  "readOnlyRootFilesystem: true}\n")
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-{i}\n  namespace: {ns_of(i)}\n"
            f"  labels: {{app: svc-{i}, tier: {'web' if i % 10 == 0 else 'backend'}}}\n"
            f"spec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: svc-{i}}}\n  template:\n"
            f"    metadata:\n      labels: {{app: svc-{i}, tier: {'web' if i % 10 == 0 else 'backend'}}}\n"
            f"    spec:\n      serviceAccountName: svc-{i}\n      containers:\n      - name: app\n"
            f"        image: {image}\n        ports: [{{containerPort: 8080, name: http}}]\n"
            f"        resources: {{limits: {{cpu: 500m, memory: 256Mi}}}}\n{sc}        env:\n{env}")


def service(i):
    return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: {ns_of(i)}\n"
            f"spec:\n  selector: {{app: svc-{i}}}\n  ports: [{{name: http, port: 8080, targetPort: http}}]\n")


def account(i):
    return f"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: svc-{i}\n  namespace: {ns_of(i)}\n"


def netpol(i, callers):
    peers = "".join(f"    - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {ns_of(c)}}}}}\n"
                    f"      podSelector: {{matchLabels: {{app: svc-{c}}}}}\n" for c in callers)
    if not peers:
        peers = "    - podSelector: {}\n"
    return (f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: svc-{i}-in\n"
            f"  namespace: {ns_of(i)}\nspec:\n  podSelector: {{matchLabels: {{app: svc-{i}}}}}\n"
            f"  policyTypes: [Ingress]\n  ingress:\n  - from:\n{peers}    ports: [{{port: 8080}}]\n")


def authz(i, callers):
    principals = ", ".join(f'"cluster.local/ns/{ns_of(c)}/sa/svc-{c}"' for c in callers) or '"*"'
    return (f"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: svc-{i}\n"
            f"  namespace: {ns_of(i)}\nspec:\n  selector:\n    matchLabels: {{app: svc-{i}}}\n  action: ALLOW\n"
            f"  rules:\n  - from:\n    - source:\n        principals: [{principals}]\n")


def ingress(i):
    return (f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: svc-{i}\n  namespace: {ns_of(i)}\n"
            f"spec:\n  ingressClassName: nginx\n  rules:\n  - host: svc-{i}.example.com\n    http:\n      paths:\n"
            f"      - path: /\n        pathType: Prefix\n        backend:\n          service:\n"
            f"            name: svc-{i}\n            port: {{number: 8080}}\n")


def gateway(ns):
    return (f"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\n  namespace: team-{ns}\n"
            f"spec:\n  gatewayClassName: eg\n  listeners:\n  - name: https\n    protocol: HTTPS\n    port: 443\n"
            f"    hostname: '*.team-{ns}.example.com'\n    allowedRoutes: {{namespaces: {{from: Same}}}}\n")


def http_route(i):
    return (f"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: svc-{i}\n"
            f"  namespace: {ns_of(i)}\nspec:\n  parentRefs: [{{name: edge}}]\n"
            f"  hostnames: [svc-{i}.{ns_of(i)}.example.com]\n  rules:\n  - matches: [{{path: {{type: PathPrefix, value: /v1}}}}]\n"
            f"    backendRefs: [{{name: svc-{i}, port: 8080}}]\n")


def spec(i):
    resources = ["orders", "items", "users", "accounts", "invoices"]
    paths = []
    for r in resources:
        secured = "" if (i + len(r)) % 9 else "      security: []\n"
        paths.append(
            f"  /v1/{r}:\n    get:\n      operationId: list_{r}\n{secured}      parameters:\n"
            f"        - {{name: limit, in: query, schema: {{type: integer, maximum: 100}}}}\n"
            f"      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: "
            f"{{type: array, items: {{$ref: '#/components/schemas/Item'}}}}}}}}}}\n"
            f"    post:\n      operationId: create_{r}\n      requestBody:\n        content:\n"
            f"          application/json: {{schema: {{$ref: '#/components/schemas/Item'}}}}\n"
            f"      responses: {{'201': {{description: created}}}}\n"
            f"  /v1/{r}/{{{r[:-1]}Id}}:\n    get:\n      operationId: get_{r}\n"
            f"      parameters: [{{name: {r[:-1]}Id, in: path, required: true, schema: {{type: string}}}}]\n"
            f"      responses: {{'200': {{description: ok, content: {{application/json: {{schema: "
            f"{{$ref: '#/components/schemas/Item'}}}}}}}}}}\n"
            f"    delete:\n      operationId: delete_{r}\n"
            f"      parameters: [{{name: {r[:-1]}Id, in: path, required: true, schema: {{type: string}}}}]\n"
            f"      responses: {{'204': {{description: gone}}}}\n")
    return (f"openapi: 3.0.3\ninfo: {{title: svc-{i}, version: '1.0'}}\n"
            f"servers: [{{url: 'http://svc-{i}.{ns_of(i)}.svc.cluster.local:8080'}}]\n"
            f"security: [{{bearer: []}}]\npaths:\n{''.join(paths)}"
            f"components:\n  securitySchemes:\n    bearer: {{type: http, scheme: bearer}}\n  schemas:\n"
            f"    Item:\n      type: object\n      properties:\n        id: {{type: string}}\n"
            f"        owner: {{$ref: '#/components/schemas/Owner'}}\n        email: {{type: string, format: email}}\n"
            f"    Owner:\n      type: object\n      properties:\n        name: {{type: string}}\n"
            f"        password: {{type: string}}\n")


callees = {i: sorted(rng.sample(range(N), min(3, N - 1)) if N > 1 else []) for i in range(N)}
callers = {i: [] for i in range(N)}
for i, cs in callees.items():
    for c in cs:
        if c != i:
            callers[c].append(i)
os.makedirs(OUT, exist_ok=True)
for ns in range(min(NS, N)):
    d = os.path.join(OUT, f"team-{ns}")
    os.makedirs(os.path.join(d, "api"), exist_ok=True)
    if LAYOUT == "compose":
        continue
    os.makedirs(os.path.join(d, "k8s"), exist_ok=True)
    with open(os.path.join(d, "k8s", "namespace.yaml"), "w") as f:
        f.write(f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{ns}\n  labels: {{istio-injection: enabled}}\n"
                f"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n"
                f"  namespace: team-{ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress]\n")
def edge(ns, members):
    locs = "".join(
        f"          location /svc-{i}/ {{\n" + ("            limit_req zone=per_ip burst=20;\n" if i % 2 else "") +
        f"            proxy_pass http://svc-{i}:8080;\n          }}\n" for i in members)
    conf = ("    limit_req_zone $binary_remote_addr zone=per_ip:10m rate=10r/s;\n    events {}\n    http {\n"
            "      server {\n        listen 8080;\n" + locs + "      }\n    }\n")
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edge-nginx\n  namespace: team-{ns}\n"
            f"data:\n  nginx.conf: |\n{conf}---\n"
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: edge\n  namespace: team-{ns}\n"
            f"spec:\n  selector:\n    matchLabels: {{app: edge}}\n  template:\n    metadata:\n      labels: {{app: edge}}\n"
            f"    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n"
            f"        volumeMounts: [{{name: conf, mountPath: /etc/nginx}}]\n"
            f"      volumes: [{{name: conf, configMap: {{name: edge-nginx}}}}]\n")


def chart(ns, members):
    """One namespace's services as a Helm chart: the values list them, the templates range."""
    d = os.path.join(OUT, f"team-{ns}", "chart")
    os.makedirs(os.path.join(d, "templates"), exist_ok=True)
    with open(os.path.join(d, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: team-{ns}\nversion: 1.0.0\nappVersion: '1.0'\n")
    with open(os.path.join(d, "values.yaml"), "w") as f:
        f.write(f"namespaceOverride: team-{ns}\nregistry: registry.example\nservices:\n")
        for i in members:
            tag = f"1.{i % 7}.0" if i % 5 else "latest"
            f.write(f"  - name: svc-{i}\n    image: svc-{i}:{tag}\n    tier: {'web' if i % 10 == 0 else 'backend'}\n"
                    f"    hardened: {'false' if i % 11 == 0 else 'true'}\n    ingress: {'true' if i % 10 == 0 else 'false'}\n"
                    f"    callees: [{', '.join(f'svc-{c}.{ns_of(c)}' for c in callees[i] if c != i)}]\n"
                    f"    callers: [{', '.join(f'{ns_of(c)}/svc-{c}' for c in callers[i][:8])}]\n")
    with open(os.path.join(d, "templates", "_helpers.tpl"), "w") as f:
        f.write('{{- define "svc.labels" -}}\napp: {{ .name }}\ntier: {{ .tier }}\n{{- end }}\n'
                '{{- define "svc.fullname" -}}{{ .name | trunc 63 | trimSuffix "-" }}{{- end }}\n'
                '{{- define "svc.namespace" -}}{{ .Values.namespaceOverride | default .Release.Namespace }}{{- end }}\n')
    with open(os.path.join(d, "templates", "services.yaml"), "w") as f:
        f.write('{{- range .Values.services }}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n'
                '  name: {{ include "svc.fullname" . }}\n  namespace: {{ include "svc.namespace" $ }}\n'
                '  labels:\n{{ include "svc.labels" . | indent 4 }}\nspec:\n  replicas: 2\n  selector:\n'
                '    matchLabels: {app: {{ .name }}}\n  template:\n    metadata:\n      labels:\n'
                '{{ include "svc.labels" . | indent 8 }}\n    spec:\n      serviceAccountName: {{ .name }}\n'
                '      containers:\n      - name: app\n        image: {{ $.Values.registry }}/{{ .image }}\n'
                '        ports: [{containerPort: 8080, name: http}]\n'
                '        resources: {limits: {cpu: 500m, memory: 256Mi}}\n'
                '        {{- if .privileged }}\n        securityContext: {privileged: true}\n'
                '        {{- else if eq (toString .hardened) "true" }}\n'
                '        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}\n'
                '        {{- end }}\n        env:\n        {{- range $k, $c := .callees }}\n'
                '        - name: DEP{{ $k }}_URL\n          value: http://{{ $c }}.svc.cluster.local:8080\n        {{- end }}\n'
                '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .name }}\n  namespace: {{ include "svc.namespace" $ }}\n'
                'spec:\n  selector: {app: {{ .name }}}\n  ports: [{name: http, port: 8080, targetPort: http}]\n'
                '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .name }}\n  namespace: {{ include "svc.namespace" $ }}\n'
                '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .name }}-in\n'
                '  namespace: {{ include "svc.namespace" $ }}\nspec:\n  podSelector: {matchLabels: {app: {{ .name }}}}\n'
                '  policyTypes: [Ingress]\n  ingress:\n  - from:\n    {{- range .callers }}\n'
                '    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: {{ (split "/" .)._0 }}}}\n'
                '      podSelector: {matchLabels: {app: {{ (split "/" .)._1 }}}}\n    {{- else }}\n    - podSelector: {}\n'
                '    {{- end }}\n    ports: [{port: 8080}]\n'
                '---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: {{ .name }}\n'
                '  namespace: {{ include "svc.namespace" $ }}\nspec:\n  selector:\n    matchLabels: {app: {{ .name }}}\n'
                '  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals:\n'
                '        {{- range .callers }}\n        - cluster.local/ns/{{ (split "/" .)._0 }}/sa/{{ (split "/" .)._1 }}\n'
                '        {{- else }}\n        - "*"\n        {{- end }}\n'
                '{{- if eq (toString .ingress) "true" }}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n'
                '  name: {{ .name }}\n  namespace: {{ include "svc.namespace" $ }}\nspec:\n  ingressClassName: nginx\n'
                '  rules:\n  - host: {{ .name }}.example.com\n    http:\n      paths:\n      - path: /\n'
                '        pathType: Prefix\n        backend:\n          service:\n            name: {{ .name }}\n'
                '            port: {number: 8080}\n{{- end }}\n{{- end }}\n')


def compose(ns, members):
    """One namespace's services as one docker-compose project."""
    with open(os.path.join(OUT, f"team-{ns}", "docker-compose.yml"), "w") as f:
        f.write("services:\n")
        for i in members:
            tag = f"1.{i % 7}.0" if i % 5 else "latest"
            env = "".join(f"      DEP{k}_URL: http://svc-{c}:8080\n"
                          for k, c in enumerate(c for c in callees[i] if c != i))
            ports = f"    ports: ['{10000 + i}:8080']\n" if i % 10 == 0 else ""
            env = env or "      LOG_LEVEL: info\n"
            f.write(f"  svc-{i}:\n    image: registry.example/svc-{i}:{tag}\n{ports}    environment:\n{env}")


for ns in range(min(NS, N)):
    members = [i for i in range(N) if i % NS == ns]
    if LAYOUT == "compose":
        compose(ns, members)
        continue
    with open(os.path.join(OUT, f"team-{ns}", "k8s", "edge.yaml"), "w") as f:
        f.write(edge(ns, members))
    if LAYOUT == "helm":
        chart(ns, members)
    if LAYOUT == "gatewayapi":
        with open(os.path.join(OUT, f"team-{ns}", "k8s", "gateway.yaml"), "w") as f:
            f.write(gateway(ns))
for i in range(N):
    if LAYOUT == "compose":
        with open(os.path.join(OUT, ns_of(i), "api", f"svc-{i}.openapi.yaml"), "w") as f:
            f.write(spec(i).replace(f"http://svc-{i}.{ns_of(i)}.svc.cluster.local:8080", f"http://svc-{i}:8080"))
        continue
    d = os.path.join(OUT, ns_of(i))
    docs = [deployment(i, [c for c in callees[i] if c != i]), service(i), account(i), netpol(i, callers[i][:8]),
            authz(i, callers[i][:8])]
    if LAYOUT == "gatewayapi":
        docs.append(http_route(i))
    elif i % 10 == 0:
        docs.append(ingress(i))
    if LAYOUT in ("k8s", "gatewayapi"):
        with open(os.path.join(d, "k8s", f"svc-{i}.yaml"), "w") as f:
            f.write("---\n".join(docs))
    with open(os.path.join(d, "api", f"svc-{i}.openapi.yaml"), "w") as f:
        f.write(spec(i))
