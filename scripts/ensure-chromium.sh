#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium for the HTML digest test (playwright-core
# drives it; no browser is ever downloaded by npm). Installs it with apt-get when it is absent
# and this user may (root, or sudo without a password prompt); otherwise fails with the one
# command to run. Nothing happens when it is already there.
set -euo pipefail
browser=/usr/bin/chromium
[ -x "$browser" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $browser is missing and this is no Debian/Ubuntu machine (no apt-get): install chromium so that $browser runs it" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-chromium: $browser is missing; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium (apt-get)" >&2
"${as_root[@]}" apt-get update -qq >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
[ -x "$browser" ] || { echo "ensure-chromium: apt-get finished but $browser is still missing" >&2; exit 1; }
