#!/usr/bin/env bash
# Neovim 0.7 (Debian's package) as a second real LSP client: diagnostics, hover, a quick-fix.
set -euo pipefail
if ! command -v nvim >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq neovim >/dev/null
fi
nvim --version | head -1
python -m pytest -q tests/clients -rs
