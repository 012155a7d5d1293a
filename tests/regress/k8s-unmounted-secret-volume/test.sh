# A Secret declared as a pod volume that no container mounts made the workload read it whole: the only
# high finding of n8n-hosting's production overlay was an attack path "from the internet through
# service:n8n/prod-n8n to secret:k8s:n8n/prod-n8n-secret", though n8n takes that Secret key by key
# (secretKeyRef, which TM-PATH-001 does not count) and no container mounts the volume. A pod volume is
# now read by the containers that mount it; one no container mounts is a note at its Secret's name.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/unmounted" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "unmounted Secret volumes (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
paths = [f["title"] for f in j["findings"] if f["rule"] == "TM-PATH-001" and "secret:" in f["title"]]
assert not paths, "an attack path to a Secret no container mounts: %s" % paths
vol = [e for e in j["model"]["edges"] if e["kind"] == "mounts" and e["to"].startswith("secret:")
       and set(e.get("how", [])) & {"volume", "projected volume"}]
assert not vol, "a mounts edge for a volume no container mounts: %s" % vol
notes = sorted((d["line"], d["message"]) for d in j["diagnostics"]
               if d["severity"] == "note" and "mounted by no container" in d["message"])
assert [n[0] for n in notes] == [70, 75], "the notes at the Secrets' names: %s" % notes
assert "volume 'engine-keys' of Secret engine-keys" in notes[0][1], notes[0][1]
assert "volume 'engine-db' of Secret engine-db" in notes[1][1], notes[1][1]
# taken key by key, the Secrets are still how the workload runs (TM-SEC-004) and used by it
sec4 = [f for f in j["findings"] if f["rule"] == "TM-SEC-004"]
assert sec4, "TM-SEC-004 went too"
PY
# the same Secrets mounted: the whole Secret in a container's files is still a target
run_bounded 60 "$TRUSTMAP" scan "$CASE/mounted" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "mounted Secret volumes (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
paths = [f["title"] for f in j["findings"] if f["rule"] == "TM-PATH-001" and "secret:k8s:automation/" in f["title"]]
assert paths, "no attack path to a Secret the container mounts whole: %s" % [f["rule"] for f in j["findings"]]
notes = [d for d in j["diagnostics"] if "mounted by no container" in d["message"]]
assert not notes, notes
PY
exit 0
