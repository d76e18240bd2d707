ARG BASE=alpine:3.20
FROM golang:1.22@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999 AS builder
WORKDIR /build
COPY . .
RUN go build -o app .

FROM ${BASE}
COPY --from=builder /build/app /usr/bin/app
HEALTHCHECK CMD ["/usr/bin/app", "health"]
ENTRYPOINT ["/usr/bin/app"]
