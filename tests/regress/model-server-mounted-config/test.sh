# LiteLLM's configuration was read only when named config.yaml, and then for no workload: a compose
# service that bind-mounts a YAML file and names its target on the command line (`--config=...`,
# `--config PATH` in a `sh -c` string) now has it read as its own configuration, whatever its name
# (an input, no longer a skipped file, with a note). Its master key there decides TM-MESH-014:
# sk-1234, the documentation's example, is a key everyone knows (high), as it is when an .env.example
# standing in for the .env sets it; a reference (os.environ/...) is a key set, no finding. A mounted
# file the command line does not name stayed unread; since the chat-stack trial a file a service
# mounts itself is its configuration all the same (read, saying so), but sets nothing the table reads.
. "$(dirname "$0")/../lib.sh"
for sys in proxy example-key referenced; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$sys" --no-store --no-cache --format json
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$sys.json"
  cp "$WORK/err" "$WORK/$sys.err"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys, os
w = sys.argv[1]
def load(s):
    return json.load(open(os.path.join(w, s + ".json")))
def mesh14(d):
    return [f for f in d["findings"] if f["rule"] == "TM-MESH-014"]
p = load("proxy")
m = mesh14(p)
assert m and m[0]["severity"] == "high" and "with sk-1234 as its master key" in m[0]["title"], m
assert any(e["path"] == "litellm/proxy_config.yaml" for e in m[0]["evidence"]), m[0]["evidence"]
inputs = [i["path"] for i in p["inputs"]]
skipped = [k["path"] for k in p["skipped"]]
assert "litellm/proxy_config.yaml" in inputs and "litellm/proxy_config.yaml" not in skipped, (inputs, skipped)
assert "litellm/unused.yaml" in inputs and "litellm/unused.yaml" not in skipped, (inputs, skipped)
notes = [x.get("message", "") for x in p["diagnostics"]]
assert any("litellm/proxy_config.yaml is read as the configuration of service:compose:default/litellm" in n
           for n in notes), notes
e = mesh14(load("example-key"))
assert e and e[0]["severity"] == "high" and "sk-1234" in e[0]["title"], e
assert not mesh14(load("referenced")), mesh14(load("referenced"))
PY
