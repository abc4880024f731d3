#!/usr/bin/env bash
# The browser test (test/e2e/api-doc.test.ts) drives Debian's chromium through playwright-core.
# Installs it where it is missing and we may (root, apt); otherwise says how.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$path" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser test (once)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
else
  echo "The browser test needs Chromium at $path: apt-get install chromium, or set CHROMIUM_PATH." >&2
  exit 1
fi
