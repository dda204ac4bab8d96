#!/usr/bin/env bash
# Sets up a fresh machine that has only Node and npm: installs the pinned pnpm (corepack is not
# used: it refuses to download pnpm where the registry serves no signatures) and the workspace's
# dependencies from the lockfile. Idempotent and quick when everything is already there.
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
  npm install --global --no-fund --no-audit --loglevel=error "pnpm@$want"
  hash -r
fi

if [ -f node_modules/.pnpm/lock.yaml ] && cmp -s pnpm-lock.yaml node_modules/.pnpm/lock.yaml; then
  say "dependencies up to date"
else
  say "installing dependencies (pnpm install --frozen-lockfile)"
  pnpm install --frozen-lockfile --reporter=append-only
fi
