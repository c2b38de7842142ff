#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: loopback only, in a temporary folder,
# no system service. Usage:
#   eval "$(bash scripts/pg_cluster.sh start)"   # exports TAIZHANG_TEST_DATABASE_URL, PGPASSWORD, TZ_PG_DIR
#   bash scripts/pg_cluster.sh stop "$TZ_PG_DIR"
# Run as root, the cluster runs as the `postgres` user (initdb refuses root).
set -euo pipefail
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 3; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/taizhang-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pw=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  printf '%s\n' "$pw" > "$dir/pw" && chmod 600 "$dir/pw"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pw"
  as_owner "'$BIN/initdb' -D '$dir/data' -U taizhang --pwfile='$dir/pw' -A scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
  as_owner "'$BIN/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c max_connections=100 -c fsync=off\" start" >/dev/null
  PGPASSWORD=$pw "$BIN/createdb" -h 127.0.0.1 -p "$port" -U taizhang taizhang_test
  echo "export TZ_PG_DIR='$dir' PGPASSWORD='$pw' TAIZHANG_TEST_DATABASE_URL='postgresql://127.0.0.1:$port/taizhang_test?user=taizhang'"
  ;;
stop)
  dir=${2:?folder}
  as_owner "'$BIN/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
