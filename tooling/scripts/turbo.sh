#!/usr/bin/env bash
# Every project script runs turbo through this, so that each run:
# - sends no telemetry (turbo's is on by default; it reads TURBO_TELEMETRY_DISABLED and DO_NOT_TRACK);
# - colours only on a terminal: without one (logs, CI) NO_COLOR goes to every task (turbo.json passes
#   it through), which vitest honours, unless the user asked for colour with FORCE_COLOR;
# - hashes the Node version into every task (WORKSPACE_NODE_VERSION, a globalEnv of turbo.json):
#   turbo caches by inputs, so without it a run under another Node would replay the first run's logs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
WORKSPACE_NODE_VERSION="$(node -v)"
export WORKSPACE_NODE_VERSION
if [ ! -t 1 ] && [ -z "${FORCE_COLOR:-}" ]; then
  export NO_COLOR=1
fi
# node_modules/.bin first on turbo's PATH (as in npm scripts): it runs tasks with pnpm, and after a
# set-up that fell back to a private pnpm, node_modules/.bin/pnpm is the workspace's.
PATH="$root/node_modules/.bin:$PATH" exec "$root/node_modules/.bin/turbo" "$@"
