/**
 * The entry of the `ipos-auth` bundle. Plain uses of `token`, `refresh` and `decode` run at once
 * (see `FastArgs.ts`); everything else — help, version, completions, `sandbox`, usage errors —
 * loads the `effect/cli` program. Each path is a separate chunk, so each loads only what it uses.
 */
import { readFastArgs } from "./FastArgs.js"

const argv = process.argv.slice(2)
const fast = process.env.IPOS_AUTH_CLI_FAST_PATH === "0" ? undefined : readFastArgs(argv)
if (fast === undefined) {
  const { main } = await import("./main.js")
  main(argv)
} else {
  const { execute } = await import("./run.js")
  process.exitCode = await execute(fast)
}
