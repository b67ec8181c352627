# Huurtoezicht container image: build with the Rust toolchain, run on a small Debian image as a
# non-root user. Everything comes from the Rust registry (crates, with SQLite compiled in) and
# Debian's packages (libpq); nothing is downloaded from elsewhere.
#
#   docker build -t huurtoezicht .
#   docker run -p 8080:8080 -v huurtoezicht-data:/var/lib/huurtoezicht \
#     -e HUURTOEZICHT_JWT_SECRET=… -e HUURTOEZICHT_PRODUCTION=true huurtoezicht
#
# See docs/production.md for the settings that matter.

FROM rust:1-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The production profile (Cargo.toml): link-time optimised, smaller and leaner than --release.
RUN cargo build --profile production --locked --bin huurtoezicht \
 && strip target/production/huurtoezicht

FROM debian:bookworm-slim
# libpq5 is the PostgreSQL client library the binary links to (also when it runs on SQLite).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/huurtoezicht \
      --create-home --shell /usr/sbin/nologin huurtoezicht
COPY --from=build /src/target/production/huurtoezicht /usr/local/bin/huurtoezicht
USER huurtoezicht
WORKDIR /var/lib/huurtoezicht
# Every folder the service writes lives in the one volume; DATABASE_URL points at PostgreSQL in
# production (then the volume holds only the uploads and attachments).
ENV HUURTOEZICHT_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/huurtoezicht/huurtoezicht.db \
    HUURTOEZICHT_UPLOAD_DIR=/var/lib/huurtoezicht/uploads \
    HUURTOEZICHT_ATTACHMENT_DIR=/var/lib/huurtoezicht/attachments \
    HUURTOEZICHT_MAIL_DIR=/var/lib/huurtoezicht/mail-outbox \
    HUURTOEZICHT_LOG_JSON=true
VOLUME ["/var/lib/huurtoezicht"]
EXPOSE 8080
# SIGTERM drains (/ready answers 503) and then stops; give it the drain plus the request timeout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/huurtoezicht"]
