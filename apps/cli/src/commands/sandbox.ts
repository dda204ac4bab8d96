/**
 * `ipos-auth sandbox`: runs the local twin of the auth service in the foreground until Ctrl-C or
 * SIGTERM, printing its URL, the demo credentials and the exports that point the CLI at it.
 */
import { describeFaults, type Sandbox, sandboxEnv, sandboxOptionsFromEnv, startSandbox } from "@ipos/auth-sandbox"
import * as Effect from "effect/Effect"
import { type UsageFailure, usage } from "../Outcome.js"
import { sandboxFlags } from "./sandboxFlags.js"

/** Options of `ipos-auth sandbox`, as typed: `settings` holds the given settings flags by name. */
export interface SandboxArgs {
  readonly port: number | undefined
  readonly host: string | undefined
  readonly settings?: Readonly<Record<string, string | undefined>> | undefined
}

/**
 * The environment with each given settings flag in place of its variable, and a way to name the
 * flag (not the variable) in an error about it.
 *
 * @example
 * ```ts
 * withFlags({ IPOS_SANDBOX_FAIL_NEXT: "1" }, { "fail-next": "3:503" }).env.IPOS_SANDBOX_FAIL_NEXT // "3:503"
 * ```
 */
export const withFlags = (
  env: Readonly<Record<string, string | undefined>>,
  settings: Readonly<Record<string, string | undefined>>
): { readonly env: Readonly<Record<string, string | undefined>>; readonly rename: (message: string) => string } => {
  const given = sandboxFlags.filter(({ flag }) => settings[flag] !== undefined)
  const merged = { ...env }
  for (const { flag, setting } of given) merged[sandboxEnv[setting]] = settings[flag]
  const rename = (message: string) =>
    given.reduce((out, { flag, setting }) => out.split(sandboxEnv[setting]).join(`--${flag}`), message)
  return { env: merged, rename }
}

const activeFaults = (sandbox: Sandbox): ReadonlyArray<string> => {
  const lines = describeFaults(sandbox.faults())
  return lines.length === 0 ? [] : ["Faults on:", ...lines.map((line) => `  ${line}`), ""]
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
export const sandbox = (args: SandboxArgs): Effect.Effect<void, UsageFailure> => {
  const { env, rename } = withFlags(process.env, args.settings ?? {})
  return Effect.acquireUseRelease(
    Effect.tryPromise({
      try: () =>
        startSandbox({
          ...sandboxOptionsFromEnv(env),
          ...(args.port === undefined ? {} : { port: args.port }),
          ...(args.host === undefined ? {} : { host: args.host })
        }),
      catch: (error) =>
        usage(`the sandbox could not start: ${rename(error instanceof Error ? error.message : String(error))}`)
    }),
    (running) => Effect.sync(() => console.log(banner(running))).pipe(Effect.andThen(Effect.never)),
    (running) => Effect.promise(() => running.stop())
  )
}
