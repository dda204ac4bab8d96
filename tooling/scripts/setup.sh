#!/usr/bin/env bash
# Sets up a fresh machine that has only Node and npm: installs the pinned pnpm (corepack is not
# used: it refuses to download pnpm where the registry serves no signatures), the workspace's
# dependencies from the lockfile, and builds the `ipos-auth` CLI. Idempotent and quick when
# everything is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=say.sh
source tooling/scripts/say.sh

# The supported range, as in every package.json's `engines`: ^20.19.0 || ^22.12.0 || >=24.
node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if ! { { [ "$node_major" -eq 20 ] && [ "$node_minor" -ge 19 ]; } ||
  { [ "$node_major" -eq 22 ] && [ "$node_minor" -ge 12 ]; } || [ "$node_major" -ge 24 ]; }; then
  echo "Node ^20.19.0, ^22.12.0 or >= 24 is required (found $(node -v))" >&2
  exit 2
fi

want=$(node -p 'require("./package.json").packageManager.split("@")[1]')
# The user's own pnpm: npm scripts put node_modules/.bin first on PATH, where an earlier set-up may
# have left the shim of the private copy; that one must not count as the user's (it would hide the
# fallback, and its hint, on the second `npm start`).
user_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '/node_modules/\.bin$' -e '/node-gyp-bin$' | paste -sd: -)
have=$(PATH="$user_path" pnpm --version 2>/dev/null || true)
# When the global pnpm cannot be used, a private copy in .cache/pnpm; after the install a shim for it
# goes to node_modules/.bin, which npm scripts (and turbo, which runs tasks with pnpm) find first.
private_pnpm=""
if [ "$have" != "$want" ]; then
  installed=false
  if [ -z "$have" ] && npm install --global --no-fund --no-audit --loglevel=error "pnpm@$want" 2>/dev/null; then
    hash -r
    # Installed, but usable only if the global bin directory is on PATH.
    if [ "$(PATH="$user_path" pnpm --version 2>/dev/null || true)" = "$want" ]; then
      say "installed pnpm $want globally"
      installed=true
    fi
  fi
  if [ "$installed" = false ]; then
    # A global pnpm of another version is left alone, and an unwritable npm prefix is no reason to stop.
    private_pnpm="$PWD/.cache/pnpm/node_modules/pnpm/bin/pnpm.cjs"
    if [ "$(node "$private_pnpm" --version 2>/dev/null || true)" = "$want" ]; then
      say "using pnpm $want from .cache/pnpm (global pnpm: ${have:-none}, left as it is)"
    else
      say "installing pnpm $want into .cache/pnpm (global pnpm: ${have:-none}, left as it is)"
      npm install --prefix .cache/pnpm --no-save --no-package-lock --no-fund --no-audit --loglevel=error "pnpm@$want"
    fi
  fi
fi
run_pnpm() {
  if [ -n "$private_pnpm" ]; then node "$private_pnpm" "$@"; else PATH="$user_path" pnpm "$@"; fi
}

if [ -f node_modules/.pnpm/lock.yaml ] && cmp -s pnpm-lock.yaml node_modules/.pnpm/lock.yaml; then
  say "dependencies up to date"
else
  say "installing dependencies (pnpm install --frozen-lockfile)"
  run_pnpm install --frozen-lockfile --reporter=append-only
fi
if [ -n "$private_pnpm" ]; then
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$private_pnpm" >node_modules/.bin/pnpm
  chmod +x node_modules/.bin/pnpm
fi

# The interface contract promises `pnpm exec ipos-auth` and `ipos-auth-proxy` after set-up: build both and what they
# bundle (a turbo cache hit when nothing changed).
say "building ipos-auth and ipos-auth-proxy (turbo; cached when nothing changed)"
bash tooling/scripts/turbo.sh run build --filter=@ipos/auth-cli... --filter=@ipos/auth-proxy... --output-logs=errors-only
if [ -n "$private_pnpm" ]; then
  say "pnpm $want is not on your PATH: run it as node_modules/.bin/pnpm (e.g. node_modules/.bin/pnpm exec ipos-auth)"
fi
