#!/usr/bin/env bash
# Sets up a fresh machine that has only Node and npm: installs the pinned pnpm (corepack is not
# used: it refuses to download pnpm where the registry serves no signatures), the workspace's
# dependencies from the lockfile, and builds the `ipos-auth` CLI. Idempotent and quick when
# everything is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  echo "Node >= 20.19 is required (found $(node -v))" >&2
  exit 2
fi

want=$(node -p 'require("./package.json").packageManager.split("@")[1]')
have=$(pnpm --version 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  say "installing pnpm $want (found: ${have:-none})"
  if ! npm install --global --no-fund --no-audit --loglevel=error "pnpm@$want"; then
    echo "could not install pnpm $want globally (is the npm prefix writable?)." >&2
    echo "install it yourself, e.g. 'sudo npm install -g pnpm@$want', then run this again." >&2
    exit 1
  fi
  hash -r
fi

if [ -f node_modules/.pnpm/lock.yaml ] && cmp -s pnpm-lock.yaml node_modules/.pnpm/lock.yaml; then
  say "dependencies up to date"
else
  say "installing dependencies (pnpm install --frozen-lockfile)"
  pnpm install --frozen-lockfile --reporter=append-only
fi

# The interface contract promises `pnpm exec ipos-auth` after set-up: build the CLI and what it
# bundles (a turbo cache hit when nothing changed).
say "building ipos-auth (turbo; cached when nothing changed)"
pnpm exec turbo run build --filter=@ipos/auth-cli... --output-logs=errors-only
