FROM alpine:3.20@sha256:b89d9c93e9ed3597455c90a0b88a8bbb5cb7188438f70953fede212a0c4394e0
ARG GITHUB_TOKEN
ARG VERSION=1.0
ENV DB_PASSWORD=hunter2 \
    APP_ENV=production
ENV API_KEY="sk_live_abc123"
ENV HOME_DIR=/home/app
RUN adduser -D app
USER app
HEALTHCHECK CMD ["/app/check"]
CMD ["/app/run"]
