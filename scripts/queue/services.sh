#!/usr/bin/env bash
# PostgreSQL and Redis for the queue-mode tier (test/queue): throwaway instances on 127.0.0.1,
# each in its own folder under a state directory, with random passwords and free ports.
#
#   scripts/queue/services.sh ensure          # install Debian's postgresql / redis-server if missing
#   scripts/queue/services.sh ensure redis    # redis-server alone (the n8n install's worker proof)
#   scripts/queue/services.sh start <state>   # start both; writes <state>/services.env
#   scripts/queue/services.sh stop <state>    # stop both (idempotent; safe on a half-started state)
#
# services.env holds shell assignments: PG_HOST PG_PORT PG_USER PG_PASSWORD PG_DATABASE
# REDIS_HOST REDIS_PORT REDIS_PASSWORD. Progress goes to stderr.
#
# PostgreSQL refuses to run as root: when this runs as root the cluster belongs to the Debian
# package's `postgres` user (or `nobody`), and is started as that user. Durability is switched
# off (fsync, synchronous_commit): the data lives only as long as the test.
set -euo pipefail

log() { echo "[queue-services] $*" >&2; }
die() { log "$*"; exit 1; }

pg_bindir() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[[ -x "$d/pg_ctl" && -x "$d/initdb" && -x "$d/postgres" ]] && { echo "$d"; return 0; }
	done
	command -v pg_ctl >/dev/null && { dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0; }
	return 1
}

have_pg() { pg_bindir >/dev/null && command -v psql >/dev/null; }
have_redis() { command -v redis-server >/dev/null && command -v redis-cli >/dev/null; }

as_root() {
	if [[ $EUID -eq 0 ]]; then "$@"
	elif command -v sudo >/dev/null; then sudo -n "$@"
	else die "need root (or sudo) to run: $*"
	fi
}

ensure() {
	local want=() only="${1:-}"
	[[ "$only" == redis ]] || have_pg || want+=(postgresql)
	have_redis || want+=(redis-server)
	if [[ ${#want[@]} -eq 0 ]]; then
		log "${only:-PostgreSQL and Redis} installed"
		return 0
	fi
	log "installing Debian packages: ${want[*]} (missing on this machine)"
	# The package lists may be missing or stale on a fresh machine: update once, then install.
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${want[@]}" >&2; then
		log "apt-get install failed; running apt-get update first"
		as_root apt-get update >&2
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${want[@]}" >&2
	fi
	# Debian's postgresql package starts a cluster of its own on port 5432; this tier does not use it.
	[[ "$only" == redis ]] || have_pg || die "postgresql installed but pg_ctl/initdb/psql not found"
	have_redis || die "redis-server installed but redis-server/redis-cli not found"
}

# The account the PostgreSQL cluster runs as ('' = this user).
pg_account() {
	[[ $EUID -eq 0 ]] || { echo ""; return; }
	if getent passwd postgres >/dev/null; then echo postgres; else echo nobody; fi
}

as_pg() {
	local account
	account="$(pg_account)"
	if [[ -z "$account" ]]; then "$@"; else runuser -u "$account" -- "$@"; fi
}

# Two free ports at once: both listeners stay open until both are known, so the kernel cannot
# hand the same port out twice (two separate picks once gave PostgreSQL and Redis the same one).
free_ports() {
	node -e 'const net=require("net");const a=net.createServer(),b=net.createServer();a.listen(0,"127.0.0.1",()=>b.listen(0,"127.0.0.1",()=>{console.log(a.address().port,b.address().port);a.close();b.close()}))'
}

secret() { node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))'; }

start() {
	local state="$1" bindir pg_port redis_port pg_password redis_password account
	[[ -d "$state" ]] || die "state directory $state does not exist"
	bindir="$(pg_bindir)" || die "PostgreSQL is not installed (run: $0 ensure)"
	have_redis || die "Redis is not installed (run: $0 ensure)"
	account="$(pg_account)"
	read -r pg_port redis_port < <(free_ports)
	[[ -n "$pg_port" && -n "$redis_port" && "$pg_port" != "$redis_port" ]] || die "could not pick two free ports"
	pg_password="$(secret)"
	redis_password="$(secret)"

	mkdir -p "$state/pg" "$state/redis"
	chmod 0755 "$state"
	printf '%s\n' "$pg_password" >"$state/pg/pwfile"
	if [[ -n "$account" ]]; then chown -R "$account" "$state/pg"; fi
	chmod 0700 "$state/pg"
	log "PostgreSQL: initdb in $state/pg/data${account:+ (as user $account)}"
	as_pg "$bindir/initdb" -D "$state/pg/data" -U n8n --pwfile="$state/pg/pwfile" --auth=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 >"$state/pg/initdb.log" 2>&1 || { cat "$state/pg/initdb.log" >&2; die "initdb failed"; }
	rm -f "$state/pg/pwfile"
	log "PostgreSQL: starting on 127.0.0.1:$pg_port"
	as_pg "$bindir/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w -t 60 start \
		-o "-c listen_addresses=127.0.0.1 -p $pg_port -k $state/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
		>&2 || { cat "$state/pg/server.log" >&2; die "PostgreSQL did not start"; }
	PGPASSWORD="$pg_password" psql -q -h 127.0.0.1 -p "$pg_port" -U n8n -d postgres -v ON_ERROR_STOP=1 -c 'CREATE DATABASE n8n' >&2

	log "Redis: starting on 127.0.0.1:$redis_port"
	# The password goes through a config file, not the command line (ps shows arguments).
	cat >"$state/redis/redis.conf" <<EOF
bind 127.0.0.1
port $redis_port
protected-mode yes
requirepass $redis_password
save ""
appendonly no
daemonize yes
dir $state/redis
pidfile $state/redis/redis.pid
logfile $state/redis/redis.log
EOF
	chmod 0600 "$state/redis/redis.conf"
	redis-server "$state/redis/redis.conf" || die "Redis did not start"
	local i
	for ((i = 0; i < 50; i++)); do
		REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
		sleep 0.2
	done
	[[ $i -lt 50 ]] || { cat "$state/redis/redis.log" >&2; die "Redis does not answer PING"; }

	cat >"$state/services.env" <<EOF
PG_HOST=127.0.0.1
PG_PORT=$pg_port
PG_USER=n8n
PG_PASSWORD=$pg_password
PG_DATABASE=n8n
REDIS_HOST=127.0.0.1
REDIS_PORT=$redis_port
REDIS_PASSWORD=$redis_password
EOF
	chmod 0600 "$state/services.env"
	log "PostgreSQL 127.0.0.1:$pg_port and Redis 127.0.0.1:$redis_port ready"
}

stop() {
	local state="$1" bindir pid
	[[ -d "$state" ]] || return 0
	if [[ -f "$state/pg/data/postmaster.pid" ]] && bindir="$(pg_bindir)"; then
		log "PostgreSQL: stopping"
		as_pg "$bindir/pg_ctl" -D "$state/pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			{ pid="$(head -1 "$state/pg/data/postmaster.pid" 2>/dev/null || true)"; [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true; }
	fi
	if [[ -f "$state/redis/redis.pid" ]]; then
		pid="$(cat "$state/redis/redis.pid" 2>/dev/null || true)"
		if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
			log "Redis: stopping (pid $pid)"
			kill "$pid" 2>/dev/null || true
			local i
			for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -9 "$pid" 2>/dev/null || true
		fi
	fi
}

case "${1:-}" in
	ensure) ensure "${2:-}" ;;
	start) [[ $# -eq 2 ]] || die "usage: $0 start <state-dir>"; start "$2" ;;
	stop) [[ $# -eq 2 ]] || die "usage: $0 stop <state-dir>"; stop "$2" ;;
	*) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
