# ko's older manifests write a Go import path where the image goes (knative/docs' samples:
# github.com/knative/docs/code-samples/...; knative.dev/serving/cmd/...): `ko resolve` builds it and
# writes the image by digest, as it does for ko://. Such a path was TM-CTR-004 "image on a moving
# tag". A first part that is a code host or Go vanity domain serving no images marks it a build
# reference now; a real registry's image (ghcr.io) is still judged.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
text = " ".join(f["title"] + " " + json.dumps(f.get("affected", [])) for f in d["findings"] if f["rule"] == "TM-CTR-004")
assert "github.com/example" not in text and "knative.dev/example" not in text, text
assert "ghcr.io/example/sidecar:latest" in text, text
PY
exit 0
