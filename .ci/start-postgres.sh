# Sourced: starts a throw-away PostgreSQL 15 cluster on 127.0.0.1:${PG_PORT:-55432} and sets PG_URL.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${PG_PORT:-55432}
PG_TMP=$(mktemp -d /tmp/minsheng-pg-XXXXXX)
chown postgres "$PG_TMP" 2>/dev/null || true
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else eval "$*"; fi; }
run_pg "$PG_BIN/initdb -D $PG_TMP/data -A trust -U postgres -E UTF8 >/dev/null"
run_pg "$PG_BIN/pg_ctl -D $PG_TMP/data -o '-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=200' -l $PG_TMP/log -w start >/dev/null"
PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export PG_URL
stop_postgres() { run_pg "$PG_BIN/pg_ctl -D $PG_TMP/data -m fast stop >/dev/null" || true; rm -rf "$PG_TMP"; }
