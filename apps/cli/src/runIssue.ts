/** Runs `token` or `refresh` (Effect programs over the core) and prints the outcome. */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { refresh, token } from "./commands/issue.js"
import type { RefreshArgs, TokenArgs } from "./FastArgs.js"
import type { Io } from "./Io.js"
import { credentialsIn } from "./Mask.js"
import { report } from "./Outcome.js"

/**
 * Runs one `token` / `refresh` command; resolves to its exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await executeIssue({ command: "token", scope: undefined, expiry: undefined, env: undefined, authUrl: undefined, json: false }, processIo)
 * ```
 */
export const executeIssue = async (args: TokenArgs | RefreshArgs, io: Io): Promise<number> => {
  const program = args.command === "token" ? token(args) : refresh(args, io.readStdin)
  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) {
    io.stdout(exit.value)
    return 0
  }
  const failure = Exit.findErrorOption(exit)
  if (failure._tag === "None") {
    io.stderr("ipos-auth: internal error (please report it)\n")
    return 1
  }
  if (failure.value._tag === "FailureWithOutput") io.stdout(failure.value.stdout)
  const { lines, exitCode } = report(failure.value, credentialsIn(process.env))
  io.stderr(`${lines.join("\n")}\n`)
  return exitCode
}
