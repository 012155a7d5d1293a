#!/usr/bin/env bash
# The Dockerfile builds (Debian 12 slim) and the image scans the bundled example. Skipped (77) where
# docker is not installed or its daemon cannot be reached; set TM_DOCKER_TEST=0 to skip it anyway
# (it downloads the base image and Debian packages).
# usage: adoption_docker.sh SOURCE_DIR
set -u
src=$(realpath "$1")
if [ "${TM_DOCKER_TEST:-1}" = 0 ] || ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "skip: no docker here (or TM_DOCKER_TEST=0)" >&2
  exit 77
fi
tag="trustmap-adoption-test:$$"
trap 'docker image rm -f "$tag" >/dev/null 2>&1' EXIT
docker build -q -t "$tag" "$src" >/dev/null || { echo "FAIL: docker build" >&2; exit 1; }
out=$(docker run --rm -v "$src/examples:/work:ro" "$tag" scan shop --format summary) || { echo "FAIL: docker run" >&2; exit 1; }
echo "$out" | grep -q "^trustmap .* - shop" || { echo "FAIL: unexpected output: $out" >&2; exit 1; }
docker run --rm "$tag" version | grep -q "^trustmap " || { echo "FAIL: version" >&2; exit 1; }
echo "the image builds and scans the example"
