FROM eclipse-temurin:21.0.3_9-jre@sha256:c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00
RUN groupadd -r spring && useradd -r -g spring spring
COPY target/app.jar /app/app.jar
COPY --chown=spring:spring config/ /app/config/
RUN chmod 777 /app/config
USER spring
HEALTHCHECK CMD ["java", "-cp", "/app/app.jar", "Health"]
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
