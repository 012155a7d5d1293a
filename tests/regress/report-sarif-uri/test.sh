# A space in a file name gave a SARIF artifactLocation uri that is not an RFC 3986 uri-reference
# ("k8s/my app.yaml"), which GitHub's upload rejects; a '#' or '?' would have cut the path short and a
# byte that is not UTF-8 made the log invalid. Every uri must be a uri-reference that percent-decodes
# to the file's path, relative ones resolved against a uriBaseId the run defines (originalUriBaseIds),
# and the log must still validate against the SARIF 2.1.0 schema.
. "$(dirname "$0")/../lib.sh"
sys="$WORK/sys"
names=("with space.yaml" "dir with space/h#sh?q%25 c:d.yaml" "caf$(printf '\303\251').yaml" "raw$(printf '\377').yaml")
i=0
for n in "${names[@]}"; do
  mkdir -p "$sys/$(dirname "$n")"
  # one namespace per copy, so each file holds findings of its own
  i=$((i + 1))
  sed "s/namespace: app/namespace: ns$i/" "$CASE/app.yaml" >"$sys/$n"
done

check_log() { # check_log SARIF ROOT: every artifact uri is valid and names a file under ROOT
  python3 - "$1" "$2" "${#names[@]}" <<'PY' || fail "SARIF uris in $1 (see above)"
import json, os, re, sys, urllib.parse
log = json.load(open(sys.argv[1], "rb"))
root = os.fsencode(sys.argv[2])
pchar = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
seg_nc = r"(?:[A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})"      # a first segment without ':'
relative = re.compile(r"^%s+(?:/%s*)*$" % (seg_nc, pchar))          # path-noscheme
absolute = re.compile(r"^file://(?:/%s*)+$" % pchar)
errors, files = [], set()
for run in log["runs"]:
    bases = run.get("originalUriBaseIds", {})
    for res in run.get("results", []):
        for loc in res.get("locations", []) + res.get("relatedLocations", []):
            al = loc["physicalLocation"]["artifactLocation"]
            uri = al["uri"]
            if relative.match(uri):
                if al.get("uriBaseId") not in bases:
                    errors.append("%r: relative, but uriBaseId %r is not in originalUriBaseIds" % (uri, al.get("uriBaseId")))
                path = os.path.join(root, urllib.parse.unquote_to_bytes(uri))
            elif absolute.match(uri):
                path = urllib.parse.unquote_to_bytes(uri[len("file://"):])
            else:
                errors.append("%r: not an RFC 3986 uri-reference" % uri)
                continue
            if not os.path.isfile(path):
                errors.append("%r: decodes to %r, which is not a file" % (uri, path))
            files.add(path)
if len(files) < int(sys.argv[3]):
    errors.append("only %d of %s files are pointed at: %r" % (len(files), sys.argv[3], sorted(files)))
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

run_bounded 60 "$TRUSTMAP" scan "$sys" --format sarif --no-store
expect_exit 0
cp "$WORK/out" "$WORK/rel.sarif"
expect_valid_utf8 "$WORK/rel.sarif"
check_log "$WORK/rel.sarif" "$sys"
# a file named by its absolute path: a file: uri, no base
run_bounded 60 "$TRUSTMAP" scan "$sys/dir with space/h#sh?q%25 c:d.yaml" --format sarif --no-store
expect_exit 0
cp "$WORK/out" "$WORK/abs.sarif"
grep -q '"uri": "file:///' "$WORK/abs.sarif" || fail "an absolute path did not become a file: uri"

# the schema check of tests/e2e/sarif_schema.sh, when its validator is installed
validator="$CASE/../../sarif/validate.js"
if command -v node >/dev/null 2>&1 && [ -d "$CASE/../../sarif/node_modules/ajv-draft-04" ]; then
  node "$validator" "$WORK/rel.sarif" "$WORK/abs.sarif" >"$WORK/schema.txt" 2>&1 \
    || { cat "$WORK/schema.txt" >&2; fail "the SARIF log does not validate against the 2.1.0 schema"; }
else
  echo "regress: SARIF schema validator not installed (scripts/install-deps.sh); uri checks only" >&2
fi
exit 0
