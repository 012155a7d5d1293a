# Hostile ECS configuration: container definitions that are no list of containers (nested 200 deep, an
# object, scalars and wrong types where lists and objects go, a template cut short), a service whose
# references name itself, a rule of a listener that is not there, a task definition listing 5,000
# containers, and 3,000 services each behind its own target group and rule on one listener: no crash,
# each bad value said, bounded time (every pass is one lookup per reference).
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/sys"
cp "$(dirname "$0")/odd.tf" "$WORK/sys/"
python3 - "$WORK/sys" <<'PY'
import sys
n = 3000
d = sys.argv[1]
out = ['resource "aws_lb" "big" {\n  name = "big"\n}\n',
       'resource "aws_lb_listener" "big" {\n  load_balancer_arn = aws_lb.big.arn\n  port = 443\n  protocol = "HTTPS"\n'
       '  default_action {\n    type = "fixed-response"\n  }\n}\n']
for i in range(n):
    out.append(f'''resource "aws_ecs_task_definition" "t{i}" {{
  family = "t{i}"
  container_definitions = jsonencode([{{ name = "c", image = "acme/s{i}:1", environment = [{{ name = "PEER_URL", value = "http://s{(i + 1) % n}:80" }}] }}])
}}
resource "aws_ecs_service" "s{i}" {{
  name = "s{i}"
  cluster = "big"
  task_definition = aws_ecs_task_definition.t{i}.arn
  load_balancer {{
    target_group_arn = aws_lb_target_group.g{i}.arn
  }}
  service_connect_configuration {{
    enabled = true
    service {{
      port_name = "http"
      discovery_name = "s{i}"
    }}
  }}
}}
resource "aws_lb_target_group" "g{i}" {{
  name = "g{i}"
}}
resource "aws_lb_listener_rule" "r{i}" {{
  listener_arn = aws_lb_listener.big.arn
  action {{
    type = "forward"
    target_group_arn = aws_lb_target_group.g{i}.arn
  }}
  condition {{
    path_pattern {{
      values = ["/s{i}/*"]
    }}
  }}
}}
''')
many = ",".join('{"name":"c%d","image":"acme/x:1","user":"0"}' % i for i in range(5000))
out.append('resource "aws_ecs_task_definition" "wide" {\n  family = "wide"\n  container_definitions = "[%s]"\n}\n'
           % many.replace('"', '\\"'))
open(d + "/wide.tf", "w").write(out.pop())
for k in range(0, len(out), 300): # files under the 1 MiB a configuration file may have
    open(d + "/many%02d.tf" % (k // 300), "w").write("".join(out[k:k + 300]))
PY
run_bounded 120 "$TRUSTMAP" scan "$WORK/sys" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "hostile ECS configuration: see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"], e["kind"]): e for e in d["model"]["edges"]}
def need(cond, what):
    if not cond:
        print("regress:", what, file=sys.stderr)
        sys.exit(1)
svcs = [i for i in nodes if i.startswith("service:ecs:big/")]
need(len(svcs) == 3000, "3,000 services: %d" % len(svcs))
routes = [k for k in edges if k[0] == "gateway:aws-alb:big" and k[2] == "routes"]
need(len(routes) == 3000, "one route per rule: %d" % len(routes))
calls = [k for k in edges if k[2] == "calls" and k[0].startswith("service:ecs:big/")]
need(len(calls) == 3000, "one call per service: %d" % len(calls))
wide = nodes.get("service:ecs:task-definition/wide", {})
need(len(wide.get("containers", [])) == 64, "at most 64 containers of one task definition: %d" % len(wide.get("containers", [])))
msgs = [g["message"] for g in d["diagnostics"]]
need(any("lists 5000 containers" in m for m in msgs), "the cut is said")
for fam in ("nested", "object", "template"):
    need(any(("task definition %s " % fam) in m for m in msgs), "%s: said: %s" % (fam, [m for m in msgs if "container" in m]))
need("service:ecs:task-definition/scalars" in nodes, "wrong types inside a definition: the workload stays")
need(any("listener" in m and "no load balancer of the scan" in m for m in msgs), "the orphan rule is noted")
PY
exit 0
