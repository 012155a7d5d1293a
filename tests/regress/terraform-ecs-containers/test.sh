# ECS task definitions were not read: the containers of a Terraform ECS estate, their images, their
# privileges and the credentials written in their environment were not in the model. Each service is
# a workload with its task definition's containers, whatever shape container_definitions takes:
# jsonencode([...]) (facts at their lines), a heredoc of JSON (at the heredoc's lines), a plan's JSON
# string; `secrets` taken from Secrets Manager are an edge to the secret the scan holds (its ARN's
# six-character suffix dropped), SSM parameters are listed; a definition no service runs is a
# workload of its own. A string that is not JSON is a warning and the service stays; file() and a
# task definition from a variable are stated, never dropped.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/sys"
cp "$(dirname "$0")/main.tf" "$(dirname "$0")/plan.json" "$WORK/sys/"
run_bounded 60 "$TRUSTMAP" scan "$WORK/sys" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "ECS containers: see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"], e["kind"]): e for e in d["model"]["edges"]}
def need(cond, what):
    if not cond:
        print("regress:", what, file=sys.stderr)
        sys.exit(1)
def fact(n, key, value):
    for f in nodes[n].get("facts", []):
        if f["key"] == key and f["value"] == value:
            return f["at"]
    return None
agent, cron, reports = "service:ecs:ops/agent", "service:ecs:task-definition/nightly-export", "service:ecs:analytics/reports"
need(agent in nodes, "the agent service is a workload")
a = nodes[agent]
need(a.get("privileged") == ["agent"] and a.get("runs_as_root") == ["agent"], "privileged, as root: %s" % a)
need("/var/run/docker.sock" in a.get("host_paths", []), "the Docker socket host volume it mounts")
need("network_mode: host" in a.get("host_namespaces", []), "network_mode host")
need("agent:NET_ADMIN" in a.get("capabilities_added", []), "linuxParameters.capabilities.add")
at = fact(agent, "literal_credentials", "agent/DD_API_KEY")
need(at and at["line"] == 32, "the written API key, at its line: %s" % at)
need((agent, "secret:aws:secretsmanager:ops/api-token", "mounts") in edges, "valueFrom a Secrets Manager ARN: an edge to the secret")
need(any("SLACK_HOOK from ssm" in s for s in a.get("secrets_from", [])), "an SSM parameter is listed")
need((agent, "identity:aws:ops-agent-task", "runs-as") in edges, "the task role")
need(cron in nodes and nodes[cron].get("workload") == "EcsTaskDefinition", "a task definition no service runs is a workload")
at = fact(cron, "literal_credentials", "export/SMTP_PASSWORD")
need(at and at["line"] == 63, "a heredoc's credential at its own line: %s" % at)
need(not nodes[cron].get("images_unpinned"), "an image pinned by digest")
need(reports in nodes, "a plan's service, its cluster from the ARN")
at = fact(reports, "literal_credentials", "reports/DB_PASSWORD")
need(at and at["path"] == "plan.json", "the plan's JSON string credential: %s" % at)
need("service:ecs:ops/broken" in nodes, "a service whose definitions are not JSON stays")
need(any("file(" in u for u in nodes["service:ecs:ops/from-file"].get("unresolved", [])), "file() is stated on the service")
need(any("var.task_definition_arn" in u for u in nodes["service:ecs:ops/elsewhere"].get("unresolved", [])), "a task definition from a variable is stated")
msgs = [(g["severity"], g["line"], g["message"]) for g in d["diagnostics"]]
need(any(s == "warning" and l == 72 and "not a JSON list" in m for s, l, m in msgs), "the string that is not JSON: a warning at it: %s" % msgs)
need(any(s == "note" and "not read here" in m for s, l, m in msgs), "file(): a note")
need(any(s == "note" and "task definition the scan does not hold" in m for s, l, m in msgs), "the variable: a note")
rules = {f["rule"] for f in d["findings"]}
need({"TM-CTR-001", "TM-SEC-001", "TM-CTR-002"} <= rules, "container rules fire: %s" % sorted(rules))
PY
exit 0
