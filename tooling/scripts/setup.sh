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
dev=$(node -p 'require("./package.json").devDependencies.pnpm')
if [ "$dev" != "$want" ]; then
  echo "package.json: devDependencies.pnpm ($dev) must be the packageManager's version ($want)" >&2
  exit 2
fi
have=$(pnpm --version 2>/dev/null || true)
# pnpm is also a root devDependency at the same version: after the install it is in
# node_modules/.bin, which npm scripts (and turbo, which runs tasks with pnpm) find first.
pnpm=(pnpm)
if [ "$have" != "$want" ]; then
  if [ -z "$have" ] && npm install --global --no-fund --no-audit --loglevel=error "pnpm@$want" 2>/dev/null; then
    say "installed pnpm $want globally"
    hash -r
  else
    # A global pnpm of another version is left alone, and an unwritable npm prefix is no reason to stop.
    say "using pnpm $want through npx (global pnpm: ${have:-none}, left as it is)"
    pnpm=(npx --yes "pnpm@$want")
  fi
fi

if [ -f node_modules/.pnpm/lock.yaml ] && cmp -s pnpm-lock.yaml node_modules/.pnpm/lock.yaml; then
  say "dependencies up to date"
else
  say "installing dependencies (pnpm install --frozen-lockfile)"
  "${pnpm[@]}" install --frozen-lockfile --reporter=append-only
fi
# Absolute: pnpm puts its own directory first on the PATH of what it runs, and turbo runs tasks in
# each package directory, where a relative one would not resolve.
[ "${pnpm[0]}" = pnpm ] || pnpm=("$PWD/node_modules/.bin/pnpm")

# The interface contract promises `pnpm exec ipos-auth` after set-up: build the CLI and what it
# bundles (a turbo cache hit when nothing changed).
say "building ipos-auth (turbo; cached when nothing changed)"
"${pnpm[@]}" exec turbo run build --filter=@ipos/auth-cli... --output-logs=errors-only
if [ "${pnpm[0]}" != pnpm ]; then
  say "pnpm $want is not on your PATH: run it as node_modules/.bin/pnpm (e.g. node_modules/.bin/pnpm exec ipos-auth)"
fi
