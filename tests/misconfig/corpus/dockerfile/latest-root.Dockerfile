FROM ubuntu:latest
RUN apt-get update && apt-get install -y curl
COPY app.sh /usr/local/bin/app.sh
CMD ["/usr/local/bin/app.sh"]
