#!/usr/bin/env bash
# Makes sure a Chromium that Playwright can drive is on this machine, for the browser demo's tests
# (Playwright's own browser download cannot work where only the npm registry and Debian's packages
# are reachable). Order: $CHROMIUM_PATH when set, then `chromium` / `chromium-browser` on PATH,
# then Debian's package installed with apt-get — only as root (CI runs as root), never with sudo.
# Prints the executable's path on stdout; exits 1 with the reason on stderr when none can be had.
set -euo pipefail

say() { printf '[ensure-chromium] %s\n' "$*" >&2; }

found() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    # An explicit choice is used or refused, never silently replaced by another browser.
    if [ -x "$CHROMIUM_PATH" ]; then
      echo "$CHROMIUM_PATH"
      return 0
    fi
    say "CHROMIUM_PATH is set but is not an executable file"
    exit 1
  fi
  local name
  for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if found; then exit 0; fi

# shellcheck source=aptInstall.sh
source "$(dirname "$0")/aptInstall.sh"
apt_install chromium Chromium "or set CHROMIUM_PATH to a Chromium or Chrome executable" || exit 1

if found; then exit 0; fi
say "apt-get finished but no chromium executable is on PATH"
exit 1
