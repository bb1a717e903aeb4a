#!/usr/bin/env bash
# Makes the lockfile a target of testing/e2e/versions.json installs from: after changing a target's
# "n8n" (or "overrides"), run this for it, then commit testing/e2e/installs/<label>/.
#
#   scripts/e2e/lock-n8n.sh n8n1                # resolve, write, then install and prove it
#   scripts/e2e/lock-n8n.sh n8n1 --before 2026-09-30T00:00:00Z   # another resolution date
#
# How it resolves: `npm install --package-lock-only --before <date>` of a private package.json
# { dependencies: { n8n: <version> }, overrides }, where <date> defaults to one day after that n8n
# version was published. So every range in n8n's tree resolves to what the registry held when n8n
# released it (what n8n's own CI installed), not to whatever is newest today: a package published
# later cannot break the tree (one day @langchain/langgraph-checkpoint 1.2.2 broke n8n 1.123.81's
# `start`). "overrides" in versions.json pins anything the registry cannot serve (n8n-nodes-base
# 1.x wants an xlsx tarball from a host outside the registry).
#
# How to check the result (the script does the first two itself):
#   1. scripts/e2e/install-n8n.sh <label>  installs it with npm ci into a fresh cache folder and
#      runs every n8n command the tiers use (import:credentials, import:workflow, execute, start,
#      worker); it fails with n8n's own error if one does not load.
#   2. node scripts/e2e/lockfile.mjs check testing/e2e/installs/<label> <version>
#   3. npm run test:e2e and N8N_QUEUE_TARGETS=<label> npm run test:queue, then commit the folder.
set -euo pipefail
# Under `npm run`, npm hands its config to children as npm_config_* variables: the repo's own
# .npmrc (legacy-peer-deps=true) then made npm ci leave out n8n's peer dependencies
# (@langchain/core), and `n8n start` could not load. Installs of n8n see none of the caller's.
while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep -i '^npm_config_' || true)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSIONS_FILE="${N8N_E2E_VERSIONS_FILE:-$REPO_ROOT/testing/e2e/versions.json}"
log() { echo "[lock-n8n] $*" >&2; }
die() { log "$*"; exit 1; }

LABEL="${1:-}"
[[ -n "$LABEL" && "$LABEL" != -* ]] || { sed -n '2,21p' "$0" >&2; exit 2; }
shift
BEFORE=""
while [[ $# -gt 0 ]]; do
	case "$1" in
		--before) BEFORE="${2:?--before takes a date}"; shift 2 ;;
		*) die "unknown argument $1" ;;
	esac
done

SPEC="$(node -e '
	const t = require(process.argv[1]).targets.find((t) => t.label === process.argv[2]);
	if (!t) process.exit(1);
	console.log(JSON.stringify({ n8n: t.n8n, overrides: t.overrides || {} }));
' "$VERSIONS_FILE" "$LABEL")" || die "no target labelled $LABEL in $VERSIONS_FILE"
N8N_VERSION="$(node -e 'console.log(JSON.parse(process.argv[1]).n8n)' "$SPEC")"

if [[ -z "$BEFORE" ]]; then
	published="$(npm view "n8n@$N8N_VERSION" time --json | node -e '
		let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => console.log(JSON.parse(s)[process.argv[1]] || ""));
	' "$N8N_VERSION")"
	[[ -n "$published" ]] || die "the registry has no publish time for n8n@$N8N_VERSION"
	BEFORE="$(node -e 'console.log(new Date(Date.parse(process.argv[1]) + 86400000).toISOString())' "$published")"
	log "n8n@$N8N_VERSION was published $published: resolving as of $BEFORE"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
node -e '
	const spec = JSON.parse(process.argv[1]);
	console.log(JSON.stringify({ name: "n8n-e2e-install", private: true, dependencies: { n8n: spec.n8n }, overrides: spec.overrides }, null, 2));
' "$SPEC" >"$WORK/package.json"
printf 'ignore-scripts=true\nlegacy-peer-deps=false\naudit=false\nfund=false\nupdate-notifier=false\n' >"$WORK/.npmrc"
log "resolving n8n@$N8N_VERSION's tree (--before $BEFORE; a few minutes)"
(cd "$WORK" && npm install --package-lock-only --before "$BEFORE" --loglevel=error >&2)

OUT="$REPO_ROOT/testing/e2e/installs/$LABEL"
mkdir -p "$OUT"
cp "$WORK/package.json" "$WORK/package-lock.json" "$OUT/"
node "$REPO_ROOT/scripts/e2e/lockfile.mjs" check "$OUT" "$N8N_VERSION"
log "wrote testing/e2e/installs/$LABEL ($(node -e 'console.log(Object.keys(require(process.argv[1]).packages).length - 1)' "$OUT/package-lock.json") packages); installing and proving it"
bash "$REPO_ROOT/scripts/e2e/install-n8n.sh" "$LABEL"
log "done: run npm run test:e2e and N8N_QUEUE_TARGETS=$LABEL npm run test:queue, then commit testing/e2e/installs/$LABEL"
