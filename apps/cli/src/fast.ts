/**
 * The fast path's entry, bundled alone as `dist/fast.cjs` and loaded by `bin/ipos-auth.cjs` with
 * a V8 code cache: plain `token`, `refresh` and `decode` command lines run from here without
 * loading `effect/cli`. Anything else resolves `undefined` and the launcher loads the full program.
 */
import { readFastArgs } from "./FastArgs.js"
import { execute } from "./run.js"

/**
 * Runs `argv` (without `node` and the script) when it is a plain use of a hot command; resolves to
 * its exit code, or `undefined` when the `effect/cli` program must handle it.
 *
 * @example
 * ```ts
 * const code = await runFast(["decode", jwt])
 * ```
 */
export const runFast = async (argv: ReadonlyArray<string>): Promise<number | undefined> => {
  const args = process.env.IPOS_AUTH_CLI_FAST_PATH === "0" ? undefined : readFastArgs(argv)
  return args === undefined ? undefined : execute(args)
}

/**
 * Loads every module of the fast path without running a command, so that the build's V8 code cache
 * (`build.mjs`) covers them all, not only the entry.
 *
 * @example
 * ```ts
 * await warm()
 * ```
 */
export const warm = async (): Promise<void> => {
  await Promise.all([import("./commands/decode.js"), import("./runIssue.js")])
}
