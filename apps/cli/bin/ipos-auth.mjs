#!/usr/bin/env node
// The `ipos-auth` executable: loads the bundled CLI (apps/cli/dist, built by `pnpm build`).
import("../dist/ipos-auth.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("ipos-auth.js")) {
    process.stderr.write("ipos-auth is not built: run `pnpm build` at the repository root\n")
    process.exit(2)
  }
  throw error
})
