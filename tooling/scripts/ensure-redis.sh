#!/usr/bin/env bash
# Makes sure `redis-server` is on this machine, for @ipos/auth-redis's tests: they use a Redis on
# IPOS_TEST_REDIS_URL or 127.0.0.1:6379 when one answers, and start their own `redis-server` on a
# free port for what must not touch a shared server (stopping Redis mid-run, TLS). When it is
# missing, Debian's package is installed with apt-get — only as root (CI runs as root), never with
# sudo — and nothing is started as a service. Exits 1 with the reason when none can be had.
set -euo pipefail

say() { printf '[ensure-redis] %s\n' "$*" >&2; }

if command -v redis-server >/dev/null 2>&1; then exit 0; fi

# shellcheck source=aptInstall.sh
source "$(dirname "$0")/aptInstall.sh"
apt_install redis-server redis-server "or 'brew install redis'; the tests start their own server from it" || exit 1
command -v redis-server >/dev/null 2>&1 || {
  say "redis-server is still not on PATH after the install"
  exit 1
}
