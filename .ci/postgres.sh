# Sourced by .ci/run: a throw-away PostgreSQL cluster for the store tests, stopped at exit.
# Exports RESEAU_MAP_TEST_PG_URL; without PostgreSQL it says why and the tests skip themselves.

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_install() {
  [ -n "$(pg_bin)" ] && return 0
  local sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

as_user() {
  if [ "$(id -un)" = "$PG_USER" ]; then "$@"; else runuser -u "$PG_USER" -- "$@"; fi
}

pg_start() {
  if ! pg_install || [ -z "$(pg_bin)" ]; then
    echo "PostgreSQL indisponible : les tests PostgreSQL seront ignorés." >&2
    return 0
  fi
  local bin port
  bin="$(pg_bin)"
  # PostgreSQL refuses to run as root: use its own system user (or nobody).
  PG_USER="$(id -un)"
  if [ "$(id -u)" = "0" ]; then
    if id postgres >/dev/null 2>&1; then PG_USER=postgres; else PG_USER=nobody; fi
  fi
  PG_TMP="$(mktemp -d /tmp/reseau-pg.XXXXXX)"
  chown "$PG_USER" "$PG_TMP"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_user "$bin/initdb" -D "$PG_TMP/data" -U reseau -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  as_user "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  PG_STOP="as_user $bin/pg_ctl -D $PG_TMP/data -m fast -w stop"
  export RESEAU_MAP_TEST_PG_URL="postgresql+psycopg://reseau@127.0.0.1:$port/postgres"
  trap pg_stop EXIT
  echo "PostgreSQL de test : $RESEAU_MAP_TEST_PG_URL" >&2
}

pg_stop() {
  if [ -n "${PG_TMP:-}" ]; then
    eval "$PG_STOP" >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
    PG_TMP=""
  fi
}
