#!/usr/bin/env bash
# The accessibility checks of the browser tests inject axe-core, from the npm package (never a CDN).
# Installs the pinned version under var/axe/ once (npm, from the registry); prints the script's path.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE_VERSION=4.14.1
target=var/axe
script=$target/node_modules/axe-core/axe.min.js
if [ ! -f "$script" ] || ! grep -q "\"version\": \"$AXE_VERSION\"" "$target/node_modules/axe-core/package.json"; then
  if ! command -v npm >/dev/null; then
    echo "npm is missing: installing Debian's package." >&2
    if [ "$(id -u)" -ne 0 ]; then
      echo "Run as root, or install it yourself: sudo apt-get install -y npm" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq npm >&2
  fi
  mkdir -p "$target"
  npm install --prefix "$target" --no-save --no-audit --no-fund --no-package-lock --silent "axe-core@$AXE_VERSION" >&2
fi
echo "$PWD/$script"
