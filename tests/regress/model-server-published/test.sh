# A model server the internet reaches without authentication was only a low TM-MESH-004 ("exposed
# directly"), and `paths --from internet` found nothing valuable. TM-MESH-014 names it: high where a
# visitor runs or changes models or code (Ollama; TorchServe with token authorization off and its
# model API on; Open WebUI with WEBUI_AUTH=False), medium for inference alone (vLLM without
# --api-key); quiet when the API asks for a key (--api-key inside a `sh -c` string, VLLM_API_KEY
# from a Secret), when its defaults ask for a token (TorchServe 0.11 and later) or when it is bound
# to loopback. The attack paths from the internet reach it as a valuable node.
. "$(dirname "$0")/../lib.sh"
rows() { # REPORT: one line per TM-MESH-014 member, NODE<tab>SEVERITY<tab>TITLE
python3 - "$1" <<'PY'
import sys
import regress
for m in regress.members(regress.findings(sys.argv[1]), "TM-MESH-014"):
    print(m["node"], m["severity"], m["title"], sep="\t")
PY
}
scan_each compose k8s
rows "$WORK/compose.json" > "$WORK/compose.tsv" || fail "no json"
check() { grep -q "^$1	$2	.*$3" "$WORK/compose.tsv" || { cat "$WORK/compose.tsv" >&2; fail "$1: expected $2 with '$3'"; }; }
quiet() { ! grep -q "^$1	" "$WORK/compose.tsv" || { cat "$WORK/compose.tsv" >&2; fail "$1: expected no TM-MESH-014"; }; }
check service:compose:llm/ollama high "Ollama reachable from beyond the host without authentication (11434->11434)"
check service:compose:llm/vllm medium "no --api-key nor VLLM_API_KEY"
check service:compose:llm/torchserve-open high "registering models from any URL"
check service:compose:llm/webui high "no login at all (WEBUI_AUTH=False)"
quiet service:compose:llm/ollama-local
quiet service:compose:llm/vllm-keyed
quiet service:compose:llm/torchserve
rows "$WORK/k8s.json" > "$WORK/k8s.tsv" || fail "no json"
grep -q "^service:inference/vllm	medium	.*LoadBalancer 80->http" "$WORK/k8s.tsv" || { cat "$WORK/k8s.tsv" >&2; fail "k8s vllm"; }
! grep -q "^service:inference/vllm-keyed	" "$WORK/k8s.tsv" || fail "vllm-keyed: VLLM_API_KEY from a Secret is a key"
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/in/compose" --no-store --no-cache
expect_exit 0 1
grep -q "service:compose:llm/ollama  \[a model server that runs or changes models or code for anyone\]" "$WORK/out" \
  || { cat "$WORK/out" >&2; fail "paths --from internet does not reach ollama as valuable"; }
