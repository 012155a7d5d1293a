#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests: pg.sh start STATE_DIR | pg.sh stop STATE_DIR.
# start: initdb in a temporary directory, a server on a Unix socket there (no TCP), and the
# connection URL written to STATE_DIR/url. Run as root (a container, CI), the server runs as the
# `postgres` user the Debian package creates. When the PostgreSQL binaries are absent, STATE_DIR/url
# says "skip: why" and the tests that need it skip, saying so; when they are present, failing to
# start a server is a test failure.
set -euo pipefail
cmd=$1 state=$2
mkdir -p "$state"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
	if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
		echo "skip: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb); scripts/install-deps.sh installs the postgresql package" >"$state/url"
		exit 0
	fi
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "skip: running as root and there is no 'postgres' user to run the server as" >"$state/url"
		exit 0
	fi
	"$0" stop "$state" >/dev/null 2>&1 || true
	dir=$(mktemp -d /tmp/trustmap-pg.XXXXXX)
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	echo "$dir" >"$state/dir"
	user=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
	as_owner "$bindir/initdb" -D "$dir/data" -U "$user" -A trust --no-sync -E UTF8 >"$state/initdb.log" 2>&1
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=60" start >"$state/pg_ctl.log" 2>&1 || {
		cat "$state/pg_ctl.log" "$dir/server.log" >&2 || true
		exit 1
	}
	echo "postgresql:///postgres?host=$dir&user=$user" >"$state/url"
	;;
stop)
	[ -f "$state/dir" ] || exit 0
	dir=$(cat "$state/dir")
	if [ -n "$bindir" ] && [ -d "$dir/data" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir" "$state/dir"
	;;
*)
	echo "usage: pg.sh start|stop STATE_DIR" >&2
	exit 2
	;;
esac
