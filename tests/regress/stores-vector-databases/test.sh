# Vector databases (Qdrant, Weaviate, Milvus, Chroma) were no stores: published, they were only "exposed
# directly" (low), and whether they ask for a key was never judged. Now they are stores with their
# products' defaults: open until given an API key or an authentication provider (Weaviate's image
# admits anonymous clients unless told otherwise).
. "$(dirname "$0")/../lib.sh"
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
c = regress.report(sys.argv[1]); k = regress.report(sys.argv[2])
def stores(d):
    return {n["id"]: n.get("attributes", n) for n in d["model"]["nodes"] if n["kind"] == "datastore"}
s = stores(c)
want = {"qdrant": "none", "weaviate": "none", "chroma": "none", "milvus": "none",
        "weaviate-keyed": "configured", "chroma-auth": "configured"}
for name, auth in want.items():
    i = "datastore:compose:default/" + name
    assert i in s, (i, sorted(s))
    assert s[i].get("auth") == auth, (i, s[i])
def affected(d, rule):
    return {m["node"] for m in regress.members(d["findings"], rule)}
open_ = affected(c, "TM-DATA-002")
assert {"datastore:compose:default/" + n for n in ("qdrant", "weaviate", "chroma", "milvus")} <= open_, open_
assert "datastore:compose:default/weaviate-keyed" not in open_ and "datastore:compose:default/chroma-auth" not in open_
pub = affected(c, "TM-MESH-007")
assert "service:compose:default/qdrant" in pub and "service:compose:default/chroma" in pub, pub
# a Qdrant given its API key from a Secret asks for it; published by a LoadBalancer it is still a store
# published beyond the host, but not one that admits anyone
ks = stores(k)
assert ks["datastore:rag/qdrant"].get("auth") == "configured", ks
assert "datastore:rag/qdrant" not in affected(k, "TM-DATA-002")
assert "service:rag/qdrant" in affected(k, "TM-MESH-007")
PY
exit 0
