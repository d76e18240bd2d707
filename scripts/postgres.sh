#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on loopback, for the scan store's tests, benchmarks and the fleet
# demo: Debian's own binaries, a temporary data directory, trust authentication on 127.0.0.1 only.
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user Debian's package
# creates.
#
#   scripts/postgres.sh start [DIR]   initdb + start in DIR (default: a new mktemp directory); prints
#                                     the data directory on one line and the connection URL
#                                     (postgres://customs@127.0.0.1:PORT/customs) as the last line
#   scripts/postgres.sh stop DIR      stops the server and removes DIR
set -euo pipefail

BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$BIN/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 4; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "postgres.sh: running as root needs the 'postgres' user (Debian's postgresql package creates it)" >&2; exit 4; }
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
  start)
    DIR=${2:-$(mktemp -d "${TMPDIR:-/tmp}/customs-pg-XXXXXX")}
    mkdir -p "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
    chmod 700 "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -U customs --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 ||
      { tail -5 "$DIR/initdb.log" >&2; exit 4; }
    PORT=$(free_port)
    echo "$PORT" >"$DIR/port"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DIR/port"
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=on -c max_connections=200" >/dev/null ||
      { tail -5 "$DIR/server.log" >&2; exit 4; }
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U customs customs
    echo "$DIR"
    echo "postgres://customs@127.0.0.1:$PORT/customs"
    ;;
  stop)
    DIR=${2:?usage: postgres.sh stop DIR}
    [ -d "$DIR/data" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: postgres.sh start [DIR] | stop DIR" >&2
    exit 2
    ;;
esac
