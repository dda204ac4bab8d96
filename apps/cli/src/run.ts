/**
 * Runs `token`, `refresh` or `decode` from already-read arguments and prints the outcome: the
 * single place where output and exit codes are decided, shared by the fast path and `effect/cli`.
 * `decode` is dispatched before anything else loads: it needs neither Effect nor HTTP.
 */
import type { FastArgs } from "./FastArgs.js"
import { type Io, processIo } from "./Io.js"
import { tokenOnCommandLineWarning } from "./TokenOnCommandLine.js"

/**
 * Runs one command; resolves to its exit code (0, or 2–5 as in the interface contract).
 *
 * @example
 * ```ts
 * process.exitCode = await execute({ command: "decode", jwt: undefined, json: false })
 * ```
 */
export const execute = async (args: FastArgs, io: Io = processIo): Promise<number> => {
  const warning = tokenOnCommandLineWarning(args)
  if (warning !== undefined) io.stderr(`${warning}\n`)
  if (args.command === "decode") {
    const { decode } = await import("./commands/decode.js")
    const jwt = args.jwt === undefined || args.jwt === "-" ? await io.readStdin() : args.jwt
    const outcome =
      typeof jwt === "object" ? { ok: false as const, message: jwt.message } : decode({ ...args, jwt }, Date.now())
    if (outcome.ok) {
      io.stdout(outcome.stdout)
      return 0
    }
    io.stderr(`ipos-auth: ${outcome.message}\n`)
    return 2
  }
  const { executeIssue } = await import("./runIssue.js")
  return executeIssue(args, io)
}
