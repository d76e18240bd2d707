FROM debian:bookworm-20240701@sha256:45f2e735295654f13e3be10da2a6892c708f71a71be845818f6058982761a6d3
ADD https://example.com/releases/tool-1.2.3.tar.gz /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/releases/other.tar.gz /opt/
ADD config.ini /etc/tool/config.ini
ADD vendor.tar.gz /opt/vendor/
USER 1000
HEALTHCHECK CMD ["/opt/tool/bin/check"]
CMD ["/opt/tool/bin/tool"]
