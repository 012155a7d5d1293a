#!/usr/bin/env bash
# Render every chart of the corpus with the Go oracle and compare with the native renderer.
# Usage: run.sh HELM_DIFF SOURCE_DIR BUILD_DIR CORPUS_DIR
# Runs:
#  - each chart: a directory holding Chart.yaml whose grandparent does not (a subchart in charts/
#    is rendered with its parent), with the values files tests/helm/values.txt names for it;
#  - each chart again with each of its ci/*.yaml values files (the charts' own CI scenarios),
#    labelled "LABEL [ci/FILE]";
#  - composites built in BUILD_DIR: prometheus with its sibling charts vendored in charts/
#    (subchart scoping, conditions, global, .Subcharts), labelled "composite/prometheus"; a
#    synthetic chart ("composite/synthetic"); a chart Helm refuses for a value required and not
#    given ("composite/required", a difference by design).
# The oracle is built offline (GO111MODULE=off, GOPATH over /usr/share/gocode, GOPROXY=off) into
# BUILD_DIR. Exit 77 (skip) when go, Sprig or sigs.k8s.io/yaml is not installed, or the corpus is
# absent.
set -euo pipefail
diff_bin=$1 src=$2 build=$3 corpus=$4
gocode=/usr/share/gocode/src
command -v go >/dev/null 2>&1 || { echo "SKIP: go not installed (apt-get install golang-go)"; exit 77; }
[ -d "$gocode/github.com/Masterminds/sprig" ] || { echo "SKIP: Sprig not installed (golang-github-masterminds-sprig-dev)"; exit 77; }
[ -d "$gocode/sigs.k8s.io/yaml" ] || { echo "SKIP: sigs.k8s.io/yaml not installed (golang-k8s-sigs-yaml-dev)"; exit 77; }
[ -d "$corpus" ] || { echo "SKIP: no corpus at $corpus"; exit 77; }

gp=$build/gopath
mkdir -p "$gp/src/oracle" "$gp/src/github.com/Masterminds/sprig" "$gp/src/github.com/Masterminds/semver"
cp "$src/oracle/main.go" "$gp/src/oracle/main.go"
# GOPATH mode does not map /v3 import paths onto Debian's unversioned directories: link them.
ln -sfn "$gocode/github.com/Masterminds/sprig" "$gp/src/github.com/Masterminds/sprig/v3"
ln -sfn "$gocode/github.com/Masterminds/semver" "$gp/src/github.com/Masterminds/semver/v3"
(cd "$gp/src/oracle" && GO111MODULE=off GOPATH="$gp:/usr/share/gocode" GOCACHE="$build/gocache" GOPROXY=off \
  GOFLAGS= go build -o "$build/oracle" .) || { echo "FAIL: the oracle does not build"; exit 1; }

out=$build/out
rm -rf "$out"
mkdir -p "$out"
args=()
i=0
# run_one LABEL DIR [VALUES_FILE...]: the oracle's rendering now, the comparison later
run_one() {
  local label=$1 dir=$2
  shift 2
  i=$((i + 1))
  timeout 120 "$build/oracle" "$dir" "$@" > "$out/$i.txt" 2>"$out/$i.err" || echo "#### ORACLE-ERROR: exit $?" >> "$out/$i.txt"
  local joined
  joined=$(IFS=:; echo "$*")
  args+=("$label" "$dir" "$out/$i.txt" "${joined:--}")
}

while IFS= read -r chart; do
  dir=$(dirname "$chart")
  [ -f "$(dirname "$(dirname "$dir")")/Chart.yaml" ] && continue
  label=${dir#"$corpus"/}
  # values files the chart is deployed with (tests/helm/values.txt: LABEL-PATTERN FILE..., relative to the chart)
  vals=()
  while read -r pattern files; do
    case "$pattern" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2053
    if [[ "$label" == $pattern ]]; then
      for f in $files; do vals+=("$(cd "$dir" && realpath "$f")"); done
    fi
  done < "$src/values.txt"
  run_one "$label" "$dir" ${vals[@]+"${vals[@]}"}
  for ci in "$dir"/ci/*.yaml; do
    [ -f "$ci" ] || continue
    run_one "$label [ci/$(basename "$ci")]" "$dir" ${vals[@]+"${vals[@]}"} "$ci"
  done
done < <(find "$corpus" -name Chart.yaml -type f | LC_ALL=C sort)
[ "$i" -gt 0 ] || { echo "SKIP: no chart in $corpus"; exit 77; }

# composites: a chart with its dependencies vendored from their sibling directories
pc=$corpus/helm-charts/prometheus-community/charts
if [ -d "$pc/prometheus" ]; then
  comp=$build/composite
  rm -rf "$comp"
  mkdir -p "$comp"
  cp -r "$pc/prometheus" "$comp/prometheus"
  mkdir -p "$comp/prometheus/charts"
  for sub in alertmanager kube-state-metrics prometheus-node-exporter; do
    [ -d "$pc/$sub" ] && cp -r "$pc/$sub" "$comp/prometheus/charts/$sub"
  done
  run_one composite/prometheus "$comp/prometheus"
  [ -f "$comp/prometheus/ci/12-ingress-values.yaml" ] &&
    run_one "composite/prometheus [ci/12-ingress-values.yaml]" "$comp/prometheus" "$comp/prometheus/ci/12-ingress-values.yaml"
fi
# a small chart of our own for what the corpus does not use: import-values (exports and
# child/parent), a .helmignore, a library subchart, .Subcharts, an alias
syn=$build/composite/synthetic
rm -rf "$syn"
mkdir -p "$syn/templates" "$syn/charts/lib2/templates" "$syn/charts/common/templates" "$syn/ci"
cat > "$syn/Chart.yaml" <<'YAML'
apiVersion: v2
name: synthetic
version: 1.0.0
dependencies:
  - name: lib2
    version: 1.0.0
    import-values:
      - data
      - child: settings.db
        parent: database
  - name: common
    version: 1.0.0
    alias: shared
YAML
printf 'database: {port: 1}\nlib2: {replicas: 3}\n' > "$syn/values.yaml"
printf 'ci/\n*.bak\n' > "$syn/.helmignore"
printf 'x: 1\n' > "$syn/ci/values.yaml"
printf 'kind: Never\n' > "$syn/templates/never.yaml.bak"
cat > "$syn/templates/cm.yaml" <<'YAML'
kind: ConfigMap
data:
  color: {{ .Values.color | quote }}
  port: {{ .Values.database.port | quote }}
  host: {{ .Values.database.host | quote }}
  lib: {{ include "common.name" . }}
  store: {{ .Subcharts.lib2.Values.replicas | quote }}
  shared: {{ .Subcharts.shared.Chart.Name | quote }}
  deps: {{ range .Chart.Dependencies }}{{ .Name }}/{{ .Alias }} {{ end }}
  files: {{ range $p, $_ := .Files.Glob "**" }}{{ $p }} {{ end }}
YAML
printf 'name: lib2\nversion: 1.0.0\n' > "$syn/charts/lib2/Chart.yaml"
printf 'exports: {data: {color: blue}}\nsettings: {db: {port: 5432, host: db}}\nreplicas: 1\n' > "$syn/charts/lib2/values.yaml"
printf 'kind: Store\nreplicas: {{ .Values.replicas }}\nname: {{ .Chart.Name }}\n' > "$syn/charts/lib2/templates/s.yaml"
printf 'name: common\nversion: 1.0.0\ntype: library\n' > "$syn/charts/common/Chart.yaml"
printf '{{ define "common.name" }}{{ .Chart.Name }}-common{{ end }}' > "$syn/charts/common/templates/_n.tpl"
printf 'kind: NotRendered\n' > "$syn/charts/common/templates/x.yaml"
# a vendored archive, as `helm dependency build` leaves it
arc=$build/composite/archive-src
rm -rf "$arc"
mkdir -p "$arc/cache/templates"
printf 'apiVersion: v2\nname: cache\nversion: 0.3.0\n' > "$arc/cache/Chart.yaml"
printf 'size: 64\nexports: {tuning: {ttl: 30}}\n' > "$arc/cache/values.yaml"
printf 'kind: Cache\nname: {{ .Release.Name }}-{{ .Chart.Name }}\nsize: {{ .Values.size }}\nglobal: {{ .Values.global | toJson }}\n' \
  > "$arc/cache/templates/c.yaml"
tar -C "$arc" -czf "$syn/charts/cache-0.3.0.tgz" cache
printf '  - name: cache\n    version: 0.3.0\n    import-values: [tuning]\n' >> "$syn/Chart.yaml"
printf 'cache: {size: 128}\nglobal: {env: prod}\n' >> "$syn/values.yaml"
printf '  ttl: {{ .Values.ttl | quote }}\n' >> "$syn/templates/cm.yaml"
run_one composite/synthetic "$syn"
# a value `required` and not given: helm refuses the chart, the native renderer renders the
# placeholder (docs/helm.md): a difference by design, listed in known_differences.txt
req=$build/composite/required
rm -rf "$req"
mkdir -p "$req/templates"
printf 'apiVersion: v2\nname: required\nversion: 1.0.0\n' > "$req/Chart.yaml"
printf 'host: ""\n' > "$req/values.yaml"
printf 'kind: ConfigMap\ndata:\n  host: {{ required "host is required" .Values.host }}\n' > "$req/templates/cm.yaml"
run_one composite/required "$req"
exec "$diff_bin" "$src/known_differences.txt" "${args[@]}"
