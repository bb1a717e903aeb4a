#!/usr/bin/env bash
# The queue-mode tier (npm run test:queue): PostgreSQL and Redis on 127.0.0.1 in a temp folder,
# then jest -c jest.queue.config.js, which starts n8n main + 2 workers and the Commvault simulator.
# Whatever happens (failure, Ctrl-C), the trap stops every n8n process the tests started (their
# PIDs are written to $STATE/pids as they start) and both services, and removes the folder.
# Expects a build (npm run build); installs the pinned n8n into the e2e cache when missing.
#   N8N_QUEUE_TARGETS=n8n1,n8n2   versions to test (default n8n1)
#   N8N_QUEUE_CALLS=100 N8N_QUEUE_CONCURRENCY=20
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

STATE="$(mktemp -d "${TMPDIR:-/tmp}/n8n-queue.XXXXXX")"
stop_all() {
	local rc=$? pid
	trap - EXIT INT TERM
	# jest first (on Ctrl-C or a CI timeout it is still running), then whatever it started
	if [[ -n "${JEST_PID:-}" ]] && kill -0 "$JEST_PID" 2>/dev/null; then
		kill -TERM "$JEST_PID" 2>/dev/null || true
		sleep 2
		kill -KILL "$JEST_PID" 2>/dev/null || true
	fi
	if [[ -f "$STATE/pids" ]]; then
		while read -r pid; do
			[[ -n "$pid" ]] || continue
			# each n8n process leads its own process group (n8n and its task runner)
			kill -TERM -- "-$pid" 2>/dev/null || true
		done <"$STATE/pids"
		sleep 1
		while read -r pid; do
			[[ -n "$pid" ]] && kill -KILL -- "-$pid" 2>/dev/null || true
		done <"$STATE/pids"
	fi
	bash scripts/queue/services.sh stop "$STATE" || true
	rm -rf "$STATE"
	exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/queue/services.sh ensure
targets="${N8N_QUEUE_TARGETS:-n8n1}"
bash scripts/e2e/install-n8n.sh ${targets//,/ }
bash scripts/queue/services.sh start "$STATE"
: >"$STATE/pids"
# in the background, so that a signal reaches the trap at once and the trap can stop jest too
N8N_QUEUE_SERVICES_ENV="$STATE/services.env" N8N_QUEUE_PIDS_FILE="$STATE/pids" npx jest -c jest.queue.config.js "$@" &
JEST_PID=$!
wait "$JEST_PID"
