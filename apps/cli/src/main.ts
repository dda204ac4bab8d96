/**
 * The full `ipos-auth` program: `effect/cli` parsing, help, version and completions on Node.
 * A usage error (unknown flag, bad value, extra argument) prints one masked line per problem and a
 * pointer to `--help` on stderr — never the help on stdout, where a script expects a token — and
 * exits 2 as the interface contract says, not the framework's 1.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import { cli } from "./Cli.js"
import { credentialsIn, mask } from "./Mask.js"

declare const IPOS_AUTH_VERSION: string

const presenter = CliOutput.layerPresenter({
  present: (event) =>
    event._tag === "InvalidInvocation"
      ? Console.error(
          [
            ...event.errors.map((error) => `ipos-auth: ${mask(error.message, credentialsIn(process.env))}`),
            `Run \`${event.commandPath.join(" ")} --help\` for usage.`
          ].join("\n")
        )
      : CliOutput.defaultPresenter.present(event)
})

// The runtime interrupts the program on SIGINT and SIGTERM alike; the exit code tells them apart.
let terminated = false

const teardown: Runtime.Teardown = (exit, onExit) => {
  if (Exit.isFailure(exit)) {
    if (Cause.hasInterruptsOnly(exit.cause)) return onExit(terminated ? 143 : 130)
    if (CliError.isCliError(Cause.squash(exit.cause))) return onExit(2)
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
export const main = (argv: ReadonlyArray<string>): void => {
  process.once("SIGTERM", () => {
    terminated = true
  })
  Command.runWith(cli, { version: IPOS_AUTH_VERSION })(argv).pipe(
    Effect.provide(Layer.merge(NodeServices.layer, presenter)),
    (program) => NodeRuntime.runMain(program, { teardown })
  )
}
