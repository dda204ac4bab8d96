/**
 * The `ipos-auth` command tree in `effect/cli`: the parser of record, with generated help,
 * `--version` and shell completions. `token`, `refresh` and `decode` hand their flags (as typed)
 * to the shared runner, so they behave exactly like the fast path; `sandbox` runs here only.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { sandboxFlags } from "./commands/sandboxFlags.js"
import { report } from "./Outcome.js"
import { execute } from "./run.js"

const text = (name: string, description: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.optional)
const json = Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print JSON instead of text"))
const env = text("env", "sandbox (default) or production; default $IPOS_ENV")
const authUrl = text("auth-url", "Base URL of the auth service (a local sandbox, Prism); default $IPOS_AUTH_URL")
const value = <A>(option: Option.Option<A>): A | undefined => Option.getOrUndefined(option)

// Handlers set the exit code instead of failing: the runner has already printed the one-line
// error, and the contract's codes (2–5) must not be rewritten by the CLI framework.
const run = (args: Parameters<typeof execute>[0]) =>
  Effect.promise(() => execute(args)).pipe(Effect.flatMap((code) => Effect.sync(() => (process.exitCode = code))))

const token = Command.make(
  "token",
  {
    scope: text("scope", "PaymentTokenization (default), Recurring, BatchReport or ExternalApi; default $IPOS_SCOPE"),
    expiry: text("expiry", "Token lifetime in minutes, 30…1440; default $IPOS_TOKEN_EXPIRY_MINUTES"),
    env,
    authUrl,
    json
  },
  (flags) =>
    run({
      command: "token",
      scope: value(flags.scope),
      expiry: value(flags.expiry),
      env: value(flags.env),
      authUrl: value(flags.authUrl),
      json: flags.json
    })
).pipe(
  Command.withDescription(
    "Mint a token with the API key and secret key of $IPOS_API_KEY and $IPOS_SECRET_KEY (never flags: they would show in ps). Prints the token and a newline."
  ),
  Command.withExamples([
    { command: "TOKEN=$(ipos-auth token)", description: "Mint a PaymentTokenization token into a variable" },
    { command: "ipos-auth token --scope Recurring --expiry 60 --json", description: "A 60-minute token, as JSON" },
    { command: "ipos-auth token --auth-url http://127.0.0.1:8080", description: "Against a local sandbox" }
  ])
)

const refresh = Command.make(
  "refresh",
  {
    jwt: Argument.String("jwt").pipe(
      Argument.withDescription("The token to refresh; prefer stdin: an argument shows in ps"),
      Argument.optional
    ),
    token: text("token", "The token to refresh; prefer stdin: a flag's value shows in ps"),
    env,
    authUrl,
    json
  },
  (flags) =>
    Option.isSome(flags.jwt) && Option.isSome(flags.token)
      ? Effect.sync(() => {
          process.stderr.write("ipos-auth: give the token once: as --token or as the argument\n")
          process.exitCode = 2
        })
      : run({
          command: "refresh",
          token: value(flags.token) ?? value(flags.jwt),
          env: value(flags.env),
          authUrl: value(flags.authUrl),
          json: flags.json
        })
).pipe(
  Command.withDescription(
    "Refresh a token with POST /v1/refresh-token, read from stdin. Prints the new token and a newline. --token and the argument work too, with a warning: every user of the machine sees them in ps."
  ),
  Command.withExamples([
    {
      command: 'TOKEN=$(echo "$TOKEN" | ipos-auth refresh)',
      description: "Refresh the token of $TOKEN (echo is a shell builtin: not in ps)"
    },
    { command: "ipos-auth refresh --json < token.txt", description: "Refresh the token saved in a file, printing JSON" }
  ])
)

const decode = Command.make(
  "decode",
  {
    jwt: Argument.String("jwt").pipe(
      Argument.withDescription(
        "The token, or '-'; read from stdin when absent (prefer stdin: an argument shows in ps)"
      ),
      Argument.optional
    ),
    json
  },
  (args) => run({ command: "decode", jwt: value(args.jwt), json: args.json })
).pipe(
  Command.withDescription(
    "Show a token's header, claims, issue and expiry times and whether it has expired, reading the token from stdin. The signature is not verified."
  ),
  Command.withExamples([
    { command: 'echo "$TOKEN" | ipos-auth decode', description: "Human-readable (echo is a shell builtin: not in ps)" },
    { command: "ipos-auth token | ipos-auth decode --json", description: "Mint and decode, as JSON" }
  ])
)

const sandboxCommand = Command.make(
  "sandbox",
  {
    // All text, checked by the sandbox: an error names the flag and what was typed.
    settings: Object.fromEntries(sandboxFlags.map(({ flag, description }) => [flag, text(flag, description)]))
  },
  (flags) =>
    // Loaded on use: the sandbox's HTTP server and crypto stay out of `--help` and the other commands.
    Effect.promise(() => import("./commands/sandbox.js")).pipe(
      Effect.flatMap(({ sandbox }) =>
        sandbox({
          settings: Object.fromEntries(Object.entries(flags.settings).map(([flag, option]) => [flag, value(option)]))
        })
      ),
      Effect.catch((failure) =>
        Effect.sync(() => {
          process.stderr.write(`${report(failure).lines.join("\n")}\n`)
          process.exitCode = 2
        })
      )
    )
).pipe(
  Command.withDescription(
    "Run the local twin of the iPOSpays auth service in the foreground (Ctrl-C stops it): real RS256 tokens, every AUTH_ERR, faults on demand. Each settings flag has an IPOS_SANDBOX_* variable (--fail-next: IPOS_SANDBOX_FAIL_NEXT, …); the demo credentials are replaced with IPOS_SANDBOX_{MERCHANT,ISO,AGENT_OFFICE}_{API,SECRET}_KEY; faults change at run time through the control API (GET/POST/DELETE /_sandbox/faults)."
  ),
  Command.withExamples([
    { command: "ipos-auth sandbox --port 8080", description: "Serve on http://127.0.0.1:8080" },
    {
      command: "ipos-auth sandbox --fail-next 2:503 --token-lifetime-seconds 20",
      description: "Two 503s first, then tokens that expire after 20 seconds"
    },
    {
      command: `curl -X POST "$IPOS_AUTH_URL/_sandbox/faults" -H 'Content-Type: application/json' -d '{"outage":{"seconds":30}}'`,
      description: "An HTML 503 outage of 30 seconds, from another shell"
    }
  ])
)

/**
 * The root command, `ipos-auth`.
 *
 * @example
 * ```ts
 * Command.runWith(cli, { version: "0.1.0" })(["decode", jwt])
 * ```
 */
export const cli = Command.make("ipos-auth").pipe(
  Command.withDescription(
    "Mint, refresh and decode iPOSpays authentication tokens, and run a local sandbox of the service. Exit codes: 0 ok, 2 usage or validation (nothing sent), 3 refused by iPOSpays (AUTH_ERR_*), 4 unreachable/timeout/5xx, 5 malformed response."
  ),
  Command.withSubcommands([token, refresh, decode, sandboxCommand]),
  Command.withExamples([
    { command: "ipos-auth sandbox", description: "Run the local twin; it prints the IPOS_* exports to paste" },
    { command: "TOKEN=$(ipos-auth token)", description: "Mint a token with $IPOS_API_KEY / $IPOS_SECRET_KEY" },
    { command: 'echo "$TOKEN" | ipos-auth decode', description: "See its claims and when it expires" },
    {
      command: 'TOKEN=$(echo "$TOKEN" | ipos-auth refresh)',
      description: "Refresh it (tokens go on stdin: arguments show in ps)"
    }
  ])
)
