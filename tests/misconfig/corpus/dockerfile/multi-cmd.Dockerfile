FROM nginx:1.27.0@sha256:98f8ec75657d21b924fe4f69b6b9bff2f6550ea48838af479d8894a852000e40
COPY nginx.conf /etc/nginx/nginx.conf
ENTRYPOINT /docker-entrypoint.sh
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx"]
CMD ["nginx", "-g", "daemon off;"]
USER nginx
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
