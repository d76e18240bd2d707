FROM debian:12.6@sha256:45f2e735295654f13e3be10da2a6892c708f71a71be845818f6058982761a6d3
RUN apt-get update
RUN apt-get install nginx
RUN apt-get upgrade -y && apt-get install -y --no-install-recommends ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd -r web
USER web
HEALTHCHECK NONE
CMD ["nginx", "-g", "daemon off;"]
