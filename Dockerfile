# trustmap in a container (Debian 12 slim): build with the build set of scripts/install-deps.sh,
# run with the runtime libraries only.
#   docker build -t trustmap .
#   docker run --rm -v "$PWD:/work" trustmap scan . --format summary
#   docker run --rm -v "$PWD:/work" trustmap diff --base origin/main . --fail-on high
# The register is off by default in the container (TRUSTMAP_STORE=none: a container's home does not
# outlive it); pass -e TRUSTMAP_STORE=postgresql://... for a shared one, or mount a directory and
# -e TRUSTMAP_STORE=/state/register.db. Tested by tests/e2e/adoption_docker.sh where docker exists.
FROM debian:12-slim AS build
COPY scripts/install-deps.sh /src/scripts/install-deps.sh
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends $(bash /src/scripts/install-deps.sh --print-build) \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null \
 && cmake --build /build -j "$(nproc)" >/dev/null \
 && cmake --install /build --prefix /usr/local >/dev/null

FROM debian:12-slim
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libfyaml0 libjansson4 libxxhash0 libgit2-1.5 \
      libsqlite3-0 libpq5 libgvc6 libcgraph6 libmicrohttpd12 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local /usr/local
ENV TRUSTMAP_STORE=none
WORKDIR /work
ENTRYPOINT ["trustmap"]
CMD ["help"]
