#!/usr/bin/env bash
# End-to-end tests drive Debian's chromium (Playwright's own browser download cannot work offline).
# Installs it when absent; prints its path.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "chromium is not installed: installing Debian's package." >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "Run as root, or install it yourself: sudo apt-get install -y chromium" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi
echo /usr/bin/chromium
