FROM ubuntu:24.04@sha256:2e863c44b718727c860746568e1d54afd13b2fa71b160f5cd9058fc436217b30
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server=1:9.6p1-3ubuntu13 && rm -rf /var/lib/apt/lists/*
WORKDIR app
RUN cd /etc/ssh && sed -i 's/#PermitRootLogin.*/PermitRootLogin no/' sshd_config
EXPOSE 22 80
USER root
HEALTHCHECK CMD ["/usr/sbin/sshd", "-t"]
CMD ["/usr/sbin/sshd", "-D"]
