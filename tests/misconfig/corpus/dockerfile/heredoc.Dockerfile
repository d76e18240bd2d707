# syntax=docker/dockerfile:1
FROM debian:12@sha256:45f2e735295654f13e3be10da2a6892c708f71a71be845818f6058982761a6d3
RUN <<EOT
set -eu
apt-get update
apt-get install -y --no-install-recommends python3
rm -rf /var/lib/apt/lists/*
EOT
RUN useradd -u 10001 app
USER 10001
HEALTHCHECK CMD ["python3", "-c", "0"]
CMD ["python3", "-m", "http.server"]
