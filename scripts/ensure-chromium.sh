#!/usr/bin/env bash
# The browser test (test/e2e/api-doc.test.ts) drives Debian's chromium through playwright-core.
# Run by `npm test` first (pretest). Where it is missing and we may (root, apt-get), it says
# what it installs and why, then installs it; otherwise it says what to install and carries on:
# that test then fails with the same words, and every other test runs.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$path" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "The browser test (test/e2e/api-doc.test.ts) needs Chromium, and there is none at $path:"
  echo "installing Debian's chromium package with apt-get (once; chromium alone takes about 280 MiB)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  echo "Installed chromium."
else
  echo "The browser test (test/e2e/api-doc.test.ts) needs Chromium, and there is none at $path." >&2
  echo "Install it (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome;" >&2
  echo "until then that test fails with this message. Going on with the rest." >&2
fi
