# evsim in a container: `docker compose up` runs the reference emitters, `--profile load` the load
# generator against them too (see docker-compose.yml); deploy/kubernetes/ runs sharded load jobs.
# Build stage: the same bootstrap script as a developer machine, then a release build of the CLI only.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/bootstrap.sh scripts/bootstrap.sh
RUN scripts/bootstrap.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DEVSIM_TESTS=OFF -DEVSIM_BENCH=OFF \
 && cmake --build /build --target evsim \
 && strip /build/apps/evsim

# Runtime stage: the binary and the shared libraries it links, nothing else.
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libboost-program-options1.81.0 libboost-json1.81.0 \
      libboost-url1.81.0 libssl3 libyaml-cpp0.7 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 evsim \
 && mkdir /data /results && chown evsim /data /results
COPY --from=build /build/apps/evsim /usr/local/bin/evsim
USER evsim
EXPOSE 8080 8081 8082
ENTRYPOINT ["evsim"]
# Inside a container the servers must listen on all interfaces for published ports to reach them.
CMD ["serve", "--host", "0.0.0.0", "--file-path", "/data/data.tmp"]
