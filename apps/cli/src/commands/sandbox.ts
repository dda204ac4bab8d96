/**
 * `ipos-auth sandbox`: runs the local twin of the auth service in the foreground until Ctrl-C or
 * SIGTERM, printing its URL, the demo credentials and the exports that point the CLI at it.
 */
import { describeFaults, type Sandbox, sandboxOptionsFromEnv, startSandbox } from "@ipos/auth-sandbox"
import * as Effect from "effect/Effect"
import { type UsageFailure, usage } from "../Outcome.js"

/** Options of `ipos-auth sandbox`, as typed. */
export interface SandboxArgs {
  readonly port: number | undefined
  readonly host: string | undefined
}

const activeFaults = (sandbox: Sandbox): ReadonlyArray<string> => {
  const lines = describeFaults(sandbox.faults())
  return lines.length === 0 ? [] : ["Faults on (IPOS_SANDBOX_*):", ...lines.map((line) => `  ${line}`), ""]
}

/**
 * The start-up banner: URL, credentials per level with their scopes, and ready-to-paste exports.
 *
 * @example
 * ```ts
 * console.log(banner(sandbox))
 * ```
 */
export const banner = (sandbox: Sandbox): string => {
  const first = sandbox.credentials.find((c) => c.level === "merchant") ?? sandbox.credentials[0]
  const rows = sandbox.credentials.map(
    (c) => `  ${c.level.padEnd(12)} apiKey=${c.apiKey}  secretKey=${c.secretKey}  scopes: ${c.scopes.join(", ")}`
  )
  return [
    `iPOSpays auth sandbox listening on ${sandbox.url}`,
    "",
    "Demo credentials (local and fake by design):",
    ...rows,
    "",
    "Point the CLI at it:",
    `  export IPOS_AUTH_URL=${sandbox.url}`,
    ...(first === undefined
      ? []
      : [`  export IPOS_API_KEY=${first.apiKey}`, `  export IPOS_SECRET_KEY=${first.secretKey}`]),
    "  ipos-auth token --json",
    "",
    ...activeFaults(sandbox),
    `Errors are answered with HTTP ${sandbox.errorStatus}. Control API: ${sandbox.url}/_sandbox/ · Ctrl-C stops it.`
  ].join("\n")
}

/**
 * Starts the sandbox with env overrides (`IPOS_SANDBOX_*`) and flags, prints the banner, and waits
 * until the fiber is interrupted (Ctrl-C / SIGTERM through the runtime), then stops it.
 *
 * @example
 * ```ts
 * sandbox({ port: 8080, host: undefined }).pipe(NodeRuntime.runMain)
 * ```
 */
export const sandbox = (args: SandboxArgs): Effect.Effect<void, UsageFailure> =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: () =>
        startSandbox({
          ...sandboxOptionsFromEnv(process.env),
          ...(args.port === undefined ? {} : { port: args.port }),
          ...(args.host === undefined ? {} : { host: args.host })
        }),
      catch: (error) => usage(`the sandbox could not start: ${error instanceof Error ? error.message : String(error)}`)
    }),
    (running) => Effect.sync(() => console.log(banner(running))).pipe(Effect.andThen(Effect.never)),
    (running) => Effect.promise(() => running.stop())
  )
