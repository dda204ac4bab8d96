#!/usr/bin/env node
// The `ipos-auth-proxy` executable: runs dist/main.js, built by `pnpm build` (or `npm test`).
import("../dist/main.js").then(
  async ({ main }) => {
    process.exitCode = await main(process.argv.slice(2), process.env)
  },
  (error) => {
    if (error && error.code === "ERR_MODULE_NOT_FOUND") {
      process.stderr.write("ipos-auth-proxy is not built: run `pnpm build` at the repository root\n")
      process.exitCode = 2
      return
    }
    process.stderr.write("ipos-auth-proxy: internal error (please report it)\n")
    process.exitCode = 1
  }
)
