/**
 * `ipos-auth sandbox`: runs the local twin of the auth service in the foreground until Ctrl-C or
 * SIGTERM, printing where it listens, the demo credentials and the commands that point the CLI at
 * it, and warning on stderr when it is reachable from the network.
 */
import {
  describeFaults,
  isLoopbackHost,
  type Sandbox,
  sandboxEnv,
  sandboxOptionsFromEnv,
  startSandbox
} from "@ipos/auth-sandbox"
import * as Effect from "effect/Effect"
import { currentLaunch, invocation } from "../Invocation.js"
import { type UsageFailure, usage } from "../Outcome.js"
import { sandboxFlags } from "./sandboxFlags.js"

/** Options of `ipos-auth sandbox`, as typed: the given settings flags (`port`, `host`, `fail-next`, …) by name. */
export interface SandboxArgs {
  readonly settings: Readonly<Record<string, string | undefined>>
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

/** `host:port` as bound, with IPv6 in brackets: `0.0.0.0:8080`, `[::]:8080`. */
const bindOf = (sandbox: Sandbox): string =>
  sandbox.host.includes(":") ? `[${sandbox.host}]:${sandbox.port}` : `${sandbox.host}:${sandbox.port}`

/**
 * Where it listens: the URL itself on a loopback bind; otherwise the real bind, that it is
 * reachable from the network, and the URL local clients use.
 *
 * @example
 * ```ts
 * listening(sandbox) // "iPOSpays auth sandbox listening on 0.0.0.0:8080 (reachable from the network); local clients use http://127.0.0.1:8080"
 * ```
 */
export const listening = (sandbox: Sandbox): string =>
  isLoopbackHost(sandbox.host)
    ? `iPOSpays auth sandbox listening on ${sandbox.url}`
    : `iPOSpays auth sandbox listening on ${bindOf(sandbox)} (reachable from the network); local clients use ${sandbox.url}`

/**
 * The stderr warning for a bind that is not loopback, or `undefined`.
 *
 * @example
 * ```ts
 * exposure(sandbox) // "ipos-auth: warning: the sandbox listens on 0.0.0.0:8080, …"
 * ```
 */
export const exposure = (sandbox: Sandbox): string | undefined =>
  isLoopbackHost(sandbox.host)
    ? undefined
    : `ipos-auth: warning: the sandbox listens on ${bindOf(sandbox)}, so it is reachable from the network, its control API included: whoever reaches this machine can mint tokens with the demo credentials, switch faults on, revoke tokens, reset the sandbox and read its counters. Use --host 127.0.0.1 (the default) unless that is what you want.`

/**
 * The start-up banner: where it listens, credentials per level with their scopes, ready-to-paste
 * exports, and a first command written as `command` (how `ipos-auth` is run in the user's shell).
 *
 * @example
 * ```ts
 * console.log(banner(sandbox, "pnpm exec ipos-auth"))
 * ```
 */
export const banner = (sandbox: Sandbox, command: string): string => {
  const first = sandbox.credentials.find((c) => c.level === "merchant") ?? sandbox.credentials[0]
  const rows = sandbox.credentials.map(
    (c) => `  ${c.level.padEnd(12)} apiKey=${c.apiKey}  secretKey=${c.secretKey}  scopes: ${c.scopes.join(", ")}`
  )
  return [
    listening(sandbox),
    "",
    "Demo credentials (local and fake by design):",
    ...rows,
    "",
    "Point the CLI at it:",
    `  export IPOS_AUTH_URL=${sandbox.url}`,
    ...(first === undefined
      ? []
      : [`  export IPOS_API_KEY=${first.apiKey}`, `  export IPOS_SECRET_KEY=${first.secretKey}`]),
    `  ${command} token --json`,
    "",
    ...activeFaults(sandbox),
    `Errors are answered with HTTP ${sandbox.errorStatus}. Control API: ${sandbox.url}/_sandbox/ · Ctrl-C stops it.`
  ].join("\n")
}

/**
 * Starts the sandbox with env overrides (`IPOS_SANDBOX_*`) and flags, prints the banner (and the
 * exposure warning on stderr), and waits until the fiber is interrupted (Ctrl-C / SIGTERM through
 * the runtime), then stops it.
 *
 * @example
 * ```ts
 * sandbox({ settings: { port: "8080" } }).pipe(NodeRuntime.runMain)
 * ```
 */
export const sandbox = (args: SandboxArgs): Effect.Effect<void, UsageFailure> => {
  const { env, rename } = withFlags(process.env, args.settings)
  return Effect.acquireUseRelease(
    Effect.tryPromise({
      try: () => startSandbox(sandboxOptionsFromEnv(env)),
      catch: (error) =>
        usage(`the sandbox could not start: ${rename(error instanceof Error ? error.message : String(error))}`)
    }),
    (running) =>
      Effect.sync(() => {
        const warning = exposure(running)
        if (warning !== undefined) process.stderr.write(`${warning}\n`)
        console.log(banner(running, invocation(currentLaunch())))
      }).pipe(Effect.andThen(Effect.never)),
    (running) => Effect.promise(() => running.stop())
  )
}
