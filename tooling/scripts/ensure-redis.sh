#!/usr/bin/env bash
# Makes sure `redis-server` is on this machine, for @ipos/auth-redis's tests: they use a Redis on
# IPOS_TEST_REDIS_URL or 127.0.0.1:6379 when one answers, and start their own `redis-server` on a
# free port for what must not touch a shared server (stopping Redis mid-run, TLS). When it is
# missing, Debian's package is installed with apt-get — only as root (CI runs as root), never with
# sudo — and nothing is started as a service. Exits 1 with the reason when none can be had.
set -euo pipefail

say() { printf '[ensure-redis] %s\n' "$*" >&2; }

if command -v redis-server >/dev/null 2>&1; then exit 0; fi

if [ "$(id -u)" != "0" ]; then
  say "redis-server is not on PATH, and installing it needs root: run 'apt-get install -y redis-server' as root"
  say "(or 'brew install redis'; the tests start their own server from it)"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "redis-server is not on PATH and there is no apt-get to install it: install Redis and retry"
  exit 1
fi

say "redis-server is not on PATH: installing Debian's package (apt-get install -y redis-server)"
export DEBIAN_FRONTEND=noninteractive
# Another apt run may hold the lock for a while: wait for it. No service is started (policy-rc.d
# is not ours to change; the tests start their own server when none answers on 6379).
if ! apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 ||
  ! apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends redis-server >&2; then
  say "apt-get could not install redis-server (see above)"
  exit 1
fi
command -v redis-server >/dev/null 2>&1 || {
  say "redis-server is still not on PATH after the install"
  exit 1
}
