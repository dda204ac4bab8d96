/**
 * The full `ipos-auth` program: `effect/cli` parsing, help, version and completions on Node.
 * A usage error (unknown flag, bad value, extra argument) prints one masked line per problem and a
 * pointer to `--help` on stderr — never the help on stdout, where a script expects a token — and
 * exits 2 as the interface contract says, not the framework's 1.
 */

import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Completions from "effect/cli/Completions"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import { cli } from "./Cli.js"
import { completionsRequest, findBinDir, withInstallation } from "./CompletionScript.js"
import { credentialsIn, mask } from "./Mask.js"
import { unexpectedArguments, unknownSubcommand } from "./UnexpectedWords.js"

declare const IPOS_AUTH_VERSION: string

// Keys typed as flags are refused as unknown flags; say where they belong instead.
const keyFlag = /--(api-key|apikey|secret-key|secretkey|secret)\b/i
const keyFlagHint =
  "Credentials are read from IPOS_API_KEY and IPOS_SECRET_KEY only: a flag's value would show in `ps` and in shell history."

// Console.log of the default presenter, sent to stderr: help that nobody asked for is not output.
const stderrConsole: Console.Console = { ...globalThis.console, log: (...args) => console.error(...args) }

// Words the user typed are described, not echoed (see UnexpectedWords.ts).
const messageOf = (error: CliError.CliError, argv: ReadonlyArray<string>): string => {
  if (error._tag === "UnexpectedArgument") return unexpectedArguments(error.arguments, argv)
  if (error._tag === "UnknownSubcommand")
    return unknownSubcommand(error.subcommand, argv, error.parent ?? ["ipos-auth"], error.suggestions)
  return error.message
}

const presenter = (argv: ReadonlyArray<string>) =>
  CliOutput.layerPresenter({
    present: (event) => {
      if (event._tag === "InvalidInvocation") {
        const lines = event.errors.map(
          (error) => `ipos-auth: ${mask(messageOf(error, argv), credentialsIn(process.env))}`
        )
        if (event.errors.some((error) => keyFlag.test(error.message))) lines.push(keyFlagHint)
        return Console.error([...lines, `Run \`${event.commandPath.join(" ")} --help\` for usage.`].join("\n"))
      }
      // `ipos-auth` alone: the help, on stderr (the program then exits 2).
      if (event._tag === "Help" && event.reason === "Implicit")
        return CliOutput.defaultPresenter.present(event).pipe(Effect.provideService(Console.Console, stderrConsole))
      return CliOutput.defaultPresenter.present(event)
    }
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
  // The framework's interactive wizard would print its prompts where a script reads a token
  // (`TOKEN=$(ipos-auth token --wizard)`), or wait for answers nobody can type.
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true
  if (!interactive && argv.some((arg) => arg === "--wizard" || arg.startsWith("--wizard="))) {
    process.stderr.write("ipos-auth: --wizard needs an interactive terminal (stdin and stdout)\n")
    process.exitCode = 2
    return
  }
  const shell = completionsRequest(argv)
  if (shell !== undefined) {
    const script = Completions.generate("ipos-auth", shell, Completions.fromCommand(cli))
    const bin = findBinDir(dirname(fileURLToPath(import.meta.url)))
    process.stdout.write(`${withInstallation(script, shell, bin)}\n`)
    return
  }
  Command.runWith(cli, { version: IPOS_AUTH_VERSION })(argv).pipe(
    Effect.provide(Layer.merge(NodeServices.layer, presenter(argv))),
    (program) => NodeRuntime.runMain(program, { teardown })
  )
}
