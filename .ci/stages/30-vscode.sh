#!/usr/bin/env bash
# The VS Code extension: its unit tests, the .vsix (`npm ci && npm run package`), and the
# end-to-end test in a real VS Code (code-server from npm, Debian's Chromium, playwright-core).
# Runs from the repository root with the project's .venv active (it bundles MindPort with it).
# Node 24 and code-server are cached outside the clone, in $MINDPORT_E2E_CACHE.
# The artefact to keep: vscode-client/e2e-results/ (a screenshot of every step of the main
# scenario in English and, as zh-*.png, in Simplified Chinese; timings.txt with the time from
# opening a file to its first squiggle; the logs of each scenario).
set -euo pipefail
cd "$(dirname "$0")/../.."
export MINDPORT_E2E_CACHE="${MINDPORT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mindport-ci}"
started=$SECONDS
step() { printf '\n-- %s (%ss)\n' "$*" "$((SECONDS - started))"; }

# Whatever happens, stop every process group the end-to-end test started (code-server and the
# extension hosts and language servers under it), then the test itself.
results="$PWD/vscode-client/e2e-results"
e2e_pid=""
cleanup() {
  local status=$?
  if [ -n "$e2e_pid" ]; then kill -TERM -- "-$e2e_pid" 2>/dev/null || true; fi
  if [ -f "$results/process-groups" ]; then
    while read -r group; do
      [ -n "$group" ] && kill -KILL -- "-$group" 2>/dev/null || true
    done <"$results/process-groups"
  fi
  if [ -n "$e2e_pid" ]; then kill -KILL -- "-$e2e_pid" 2>/dev/null || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "system packages"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev) # code-server's kerberos module
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "Node 24 and code-server (cached in $MINDPORT_E2E_CACHE)"
bash vscode-client/scripts/e2e-install.sh >/dev/null

cd vscode-client
step "npm ci"
npm ci --no-audit --no-fund --loglevel=error

step "unit tests"
npm test

step "npm run package"
npm run package
ls -l mindport.vsix

step "end-to-end test in code-server"
# Opening the demo to its first squiggle is a check: at most 3 s by default, twice the 1.5 s
# target for a quiet machine (issue 15) and 1.4 times the 2.1 s CI measured before the
# start-up work. CI's machine is quiet; on one shared by other work (3.6 s at load 10) set a
# larger budget. timings.txt has the number and where it went (server start, its first
# diagnostics).
export MINDPORT_E2E_SQUIGGLE_BUDGET_MS="${MINDPORT_E2E_SQUIGGLE_BUDGET_MS:-3000}"
rm -rf "$results"
npx tsc -p e2e
setsid node out/e2e/run.js --vsix mindport.vsix --results "$results" &
e2e_pid=$!
wait "$e2e_pid"
e2e_pid=""
step "done"
