# ingress-nginx running Ingress authors' configuration snippets (CVE-2021-25742 class) was not
# reported: allow-snippet-annotations "true" in the controller's ConfigMap (the one --configmap
# names), or nothing set on a controller older than v1.9.0 (its default admitted snippets). From
# v1.12.0 snippets also need annotations-risk-level: Critical. TM-MESH-015 says so.
. "$(dirname "$0")/../lib.sh"
for s in explicit olddefault newdefault norisk critical off; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$s" --format json --no-store --no-cache
  expect_exit 0 1
  n=$(python3 -c 'import json,sys; print(sum(f["rule"] == "TM-MESH-015" for f in json.load(open(sys.argv[1]))["findings"]))' "$WORK/out")
  case $s in
    explicit|olddefault|critical) [ "$n" = 1 ] || fail "$s: expected TM-MESH-015, got $n" ;;
    *) [ "$n" = 0 ] || fail "$s: no TM-MESH-015 expected, got $n" ;;
  esac
  [ $s = explicit ] && { grep -q '"line": 8' "$WORK/out" || fail "explicit: the finding is not at the ConfigMap's value"; }
done
exit 0
