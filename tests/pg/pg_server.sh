#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: a new cluster in DIR, listening on 127.0.0.1 on a
# free port, with trust authentication for loopback only. Debian's postgresql package provides the
# binaries (scripts/setup.sh installs it); nothing is installed or configured system-wide.
#
#   tests/pg/pg_server.sh start DIR   -> writes DIR/url (a libpq URL of the admin database) and
#                                        prints it; the server runs until `stop`
#   tests/pg/pg_server.sh restart DIR -> stops it (fast: sessions are cut) and starts it again
#   tests/pg/pg_server.sh stop DIR    -> stops it and removes DIR
#
# The tests run it with fsync=off (they kill renkei and restart PostgreSQL cleanly, never crash it); PG_FSYNC=on keeps
# PostgreSQL's durable default, for benchmarks that compare it with SQLite's synchronous=FULL.
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user the package
# creates, and the server runs as that user.
set -euo pipefail
cmd=${1:?usage: pg_server.sh start|restart|stop DIR}
dir=${2:?usage: pg_server.sh start|restart|stop DIR}

bindir=""
for v in 17 16 15 14 13; do
  if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then bindir=/usr/lib/postgresql/$v/bin; break; fi
done
if [ -z "$bindir" ]; then
  echo "pg_server.sh: PostgreSQL's server binaries are missing; run scripts/setup.sh (installs Debian's postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if [ -f "$dir/url" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      cat "$dir/url"; exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # C.UTF-8: pg_trgm then extracts trigrams from Japanese text too (in the C locale it would not).
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=${PG_FSYNC:-off} -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    url="postgresql://postgres@127.0.0.1:$port/postgres"
    echo "$url" >"$dir/url"
    echo "$url"
    ;;
  restart)
    # The same server stopped (fast: sessions are cut) and started again on the same port, with the
    # options it was started with: what clients see when PostgreSQL restarts under them.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_server.sh start|restart|stop DIR" >&2; exit 2 ;;
esac
