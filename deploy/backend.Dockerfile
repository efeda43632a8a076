# syntax=docker/dockerfile:1
# Mesa backend: `docker build -f deploy/backend.Dockerfile .` (context: the repo root).

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# The cache mounts keep the registry and target/ between builds.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p mesa --bin mesa \
 && install -m 0755 target/release/mesa /usr/local/bin/mesa

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin mesa
COPY --from=build /usr/local/bin/mesa /usr/local/bin/mesa
COPY deploy/backend-entrypoint.sh /usr/local/bin/mesa-entrypoint
USER mesa
ENV MESA_BIND=0.0.0.0:8080 \
    RUST_LOG=info
EXPOSE 8080
# mesa migrate (and mesa seed --demo when MESA_SEED_DEMO=true), then mesa serve.
ENTRYPOINT ["mesa-entrypoint"]
CMD ["serve"]
