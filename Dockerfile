# One image for every Lifeboat service: the lifeboat command plus all stage classes.
# Build: docker build -t lifeboat .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -Dmaven.test.skip=true -Dspotless.check.skip=true package -pl cli -am

FROM eclipse-temurin:17-jre
ENV LANG=C.UTF-8 LIFEBOAT_HOME=/var/lib/lifeboat
# The database client tools the providers run (dump and restore): PostgreSQL's from the PGDG
# repository (pg_dump 17 dumps servers 9.2 to 17; restores need pg_restore at least as new as the
# dump), the MariaDB client (mariadb-dump, mariadb; also used for MySQL), redis-cli; curl for the
# health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-17 mariadb-client redis-tools \
 && pg_dump --version && mariadb-dump --version && redis-cli --version \
 && apt-get purge -y gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
# not root: an unprivileged user owns the folders the named volumes start from
RUN useradd --system --uid 10001 --home-dir /var/lib/lifeboat lifeboat \
 && mkdir -p /var/lib/lifeboat /repository /key /command-key \
 && chown lifeboat:lifeboat /var/lib/lifeboat /repository /key /command-key \
 && chmod 0700 /var/lib/lifeboat /key /command-key
COPY --from=build /src/cli/target/lifeboat-cli.jar /app/lifeboat-cli.jar
COPY --from=build /src/cli/target/lib /app/lib
WORKDIR /app
USER 10001
# Default: the lifeboat command. Services override the main class with LIFEBOAT_MAIN.
ENV LIFEBOAT_MAIN=io.lifeboat.cli.Lifeboat
# AES-GCM compiled early (see ./lifeboat and docs/benchmarks.md): the JDK's crypto provider gets
# ten times lower JIT thresholds
ENV LIFEBOAT_JIT_OPTS="-XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.1"
ENTRYPOINT ["sh", "-c", "set -f; exec java ${JAVA_OPTS:--Xmx1g} $LIFEBOAT_JIT_OPTS -cp '/app/lifeboat-cli.jar:/app/lib/*' \"$LIFEBOAT_MAIN\" \"$@\"", "--"]
