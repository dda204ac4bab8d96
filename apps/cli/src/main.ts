/**
 * The full `ipos-auth` program: `effect/cli` parsing, help, version and completions on Node.
 * A usage error (unknown flag, bad value) exits 2 as the interface contract says, not the
 * framework's 1.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as CliError from "effect/cli/CliError"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Runtime from "effect/Runtime"
import { cli } from "./Cli.js"

declare const IPOS_AUTH_VERSION: string

const teardown: Runtime.Teardown = (exit, onExit) => {
  if (Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause)) {
    const error = Cause.squash(exit.cause)
    if (CliError.isCliError(error)) return onExit(2)
  }
  return Runtime.defaultTeardown(exit, (code) => onExit(code === 0 ? Number(process.exitCode) || 0 : code))
}

/**
 * Runs the program on `argv` (without `node` and the script).
 *
 * @example
 * ```ts
 * main(process.argv.slice(2))
 * ```
 */
export const main = (argv: ReadonlyArray<string>): void =>
  Command.runWith(cli, { version: IPOS_AUTH_VERSION })(argv).pipe(Effect.provide(NodeServices.layer), (program) =>
    NodeRuntime.runMain(program, { teardown })
  )
