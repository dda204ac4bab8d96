#!/usr/bin/env node
"use strict"
// The `ipos-auth` executable. Plain `token`, `refresh` and `decode` run on the fast path
// (dist/fast.cjs); help, version, completions, `sandbox` and usage errors load the effect/cli
// program (dist/main.js). Both are built by `pnpm build`.
let fast
try {
  fast = require("./fast-loader.cjs").loadFast()
} catch (error) {
  if (error && error.code === "ENOENT") {
    process.stderr.write("ipos-auth is not built: run `pnpm build` at the repository root\n")
    process.exit(2)
  }
  throw error
}
// A reader that went away (`ipos-auth token | true`): stop at once and quietly, with the status
// of a process killed by SIGPIPE (128 + 13) as other Unix tools have; Node ignores SIGPIPE, and
// the failed write would otherwise throw an EPIPE stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error && error.code === "EPIPE") process.exit(141)
    throw error
  })
}
const argv = process.argv.slice(2)
fast
  .runFast(argv)
  .then((code) => {
    if (code !== undefined) process.exitCode = code
    else return import("../dist/main.js").then(({ main }) => main(argv))
  })
  .catch(() => {
    // A bug, not a failure of the command: say so without a stack (it could quote an argument).
    process.stderr.write("ipos-auth: internal error (please report it)\n")
    process.exitCode = 1
  })
