#!/usr/bin/env bash
# Random differential test of the native Go template engine against Go's text/template + Sprig:
# templates from gen_cases.py (fixed seeds), rendered by cases_oracle (Go, built offline like
# run.sh's oracle) and by gotmpl_cases (C), compared by compare_cases.py.
# Usage: random.sh GOTMPL_CASES SOURCE_DIR BUILD_DIR. Exit 77 (skip) without go, Sprig or
# sigs.k8s.io/yaml.
set -euo pipefail
native=$1 src=$2 build=$3
gocode=/usr/share/gocode/src
command -v go >/dev/null 2>&1 || { echo "SKIP: go not installed (apt-get install golang-go)"; exit 77; }
[ -d "$gocode/github.com/Masterminds/sprig" ] || { echo "SKIP: Sprig not installed (golang-github-masterminds-sprig-dev)"; exit 77; }
[ -d "$gocode/sigs.k8s.io/yaml" ] || { echo "SKIP: sigs.k8s.io/yaml not installed (golang-k8s-sigs-yaml-dev)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not installed"; exit 77; }

gp=$build/gopath-cases
mkdir -p "$gp/src/cases_oracle" "$gp/src/github.com/Masterminds/sprig" "$gp/src/github.com/Masterminds/semver"
cp "$src/cases_oracle/main.go" "$gp/src/cases_oracle/main.go"
ln -sfn "$gocode/github.com/Masterminds/sprig" "$gp/src/github.com/Masterminds/sprig/v3"
ln -sfn "$gocode/github.com/Masterminds/semver" "$gp/src/github.com/Masterminds/semver/v3"
(cd "$gp/src/cases_oracle" && GO111MODULE=off GOPATH="$gp:/usr/share/gocode" GOCACHE="$build/gocache" GOPROXY=off \
  GOFLAGS= go build -o "$build/cases_oracle" .) || { echo "FAIL: the case oracle does not build"; exit 1; }
rc=0
for seed in 1 2 3 4; do
  python3 "$src/gen_cases.py" "$seed" 1500 > "$build/cases-$seed.txt"
  "$build/cases_oracle" "$build/cases-$seed.txt" > "$build/cases-$seed.go"
  "$native" "$build/cases-$seed.txt" > "$build/cases-$seed.native"
  echo "seed $seed:"
  python3 "$src/compare_cases.py" "$build/cases-$seed.txt" "$build/cases-$seed.go" "$build/cases-$seed.native" || rc=1
done
exit $rc
