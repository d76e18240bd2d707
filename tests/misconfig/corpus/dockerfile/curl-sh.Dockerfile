FROM alpine:3.20@sha256:b89d9c93e9ed3597455c90a0b88a8bbb5cb7188438f70953fede212a0c4394e0
RUN apk add curl bash
RUN curl -fsSL https://get.example.com/install.sh | sh
RUN wget -qO- https://example.org/setup | bash -s -- --yes
RUN adduser -D svc
USER svc
HEALTHCHECK CMD ["/bin/true"]
ENTRYPOINT ["/usr/local/bin/svc"]
