/**
 * `ipos-auth token` and `ipos-auth refresh`: one call to the auth API with the core's `AuthApi`
 * (validation before sending, retries, typed failures) over the Node transport, printed as the
 * bare token or as JSON.
 */

import { servers } from "@ipos/auth-client"
import {
  type Environment,
  type IssuedToken,
  loadAuthConfig,
  makeAuthApi,
  requireCredentials,
  type ValidationError,
  validateBaseUrl,
  validateEnvironment
} from "@ipos/auth-core"
import { nodeTransport } from "@ipos/auth-core/node"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type { RefreshArgs, TokenArgs } from "../FastArgs.js"
import { type CommandFailure, usage } from "../Outcome.js"
import { publicScopeName } from "../ScopeNames.js"

/** The `--json` shape of `token` and `refresh`. */
export interface TokenJson {
  readonly token: string
  readonly scope: string | null
  readonly issuedAt: string | null
  readonly expiresAt: string
  readonly createdDt: string | null
}

const iso = (ms: number | undefined): string | null =>
  ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString()

/**
 * The printed form of an issued token.
 *
 * @example
 * ```ts
 * formatIssued(issued, false) // "eyJhbGciOiJSUzI1NiJ9....\n"
 * ```
 */
export const formatIssued = (issued: IssuedToken, json: boolean): string => {
  const token = Redacted.value(issued.token)
  if (!json) return `${token}\n`
  const body: TokenJson = {
    token,
    scope: issued.scope ?? publicScopeName(issued.claimScope) ?? null,
    issuedAt: iso(issued.issuedAt),
    expiresAt: iso(issued.expiresAt) ?? "",
    createdDt: /^\d+$/.test(issued.createdDt) ? iso(Number(issued.createdDt)) : null
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

const nonEmpty = (value: string | undefined): string | undefined => (value === "" ? undefined : value)

/**
 * Where to send: flags first, then `IPOS_ENV` / `IPOS_AUTH_URL`. An explicit `--env` wins over a
 * leftover `IPOS_AUTH_URL` (production keys must not go to yesterday's local sandbox); `--auth-url`
 * wins over both. Errors name the flag or the variable the bad value came from. `baseUrl` is
 * `undefined` when the environment's own server applies.
 *
 * @example
 * ```ts
 * Effect.runSync(resolveTarget({ env: "production", authUrl: undefined }, { IPOS_AUTH_URL: "http://127.0.0.1:8080" }))
 * // { env: "production", baseUrl: undefined }
 * ```
 */
export const resolveTarget = (
  args: { readonly env: string | undefined; readonly authUrl: string | undefined },
  environment: Readonly<Record<string, string | undefined>>
): Effect.Effect<{ readonly env: Environment; readonly baseUrl: string | undefined }, ValidationError> =>
  Effect.fromResult(
    Result.gen(function* () {
      const envValue = args.env ?? nonEmpty(environment.IPOS_ENV) ?? "sandbox"
      const env = yield* validateEnvironment(envValue, args.env === undefined ? "IPOS_ENV" : "env")
      if (args.authUrl !== undefined) return { env, baseUrl: yield* validateBaseUrl(args.authUrl, "baseUrl") }
      const fromEnv = args.env === undefined ? nonEmpty(environment.IPOS_AUTH_URL) : undefined
      return { env, baseUrl: fromEnv === undefined ? undefined : yield* validateBaseUrl(fromEnv, "IPOS_AUTH_URL") }
    })
  )

const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * The warning for a plain-`http` address off this machine: the request would carry the keys (or a
 * token) unencrypted. Loopback addresses (a local sandbox, Prism) get none.
 *
 * @example
 * ```ts
 * cleartextWarning("http://10.0.0.5:8080", "the API key and secret key")
 * // "ipos-auth: warning: http://10.0.0.5:8080 is not encrypted: the API key and secret key would cross the network in clear text (use https://)"
 * cleartextWarning("http://127.0.0.1:8080", "a token") // undefined
 * ```
 */
export const cleartextWarning = (baseUrl: string, what: string): string | undefined => {
  const url = new URL(baseUrl)
  if (url.protocol !== "http:" || loopback.test(url.hostname)) return undefined
  return `ipos-auth: warning: ${url.origin} is not encrypted: ${what} would cross the network in clear text (use https://)`
}

const warnCleartext = (baseUrl: string, what: string): Effect.Effect<void> =>
  Effect.sync(() => {
    const warning = cleartextWarning(baseUrl, what)
    if (warning !== undefined) process.stderr.write(`${warning}\n`)
  })

/**
 * `ipos-auth token`: mints a token with the credentials of `IPOS_API_KEY` / `IPOS_SECRET_KEY`.
 *
 * @example
 * ```ts
 * Effect.runPromise(token({ command: "token", scope: "Recurring", expiry: undefined, env: undefined, authUrl: undefined, json: false }))
 * ```
 */
export const token = (args: TokenArgs): Effect.Effect<string, CommandFailure> =>
  Effect.gen(function* () {
    const where = yield* resolveTarget(args, process.env)
    const config = yield* loadAuthConfig({
      env: where.env,
      baseUrl: where.baseUrl ?? servers[where.env],
      ...(args.scope === undefined ? {} : { scope: args.scope }),
      ...(args.expiry === undefined ? {} : { expiryMinutes: args.expiry })
    })
    const credentials = yield* requireCredentials(config)
    yield* warnCleartext(config.baseUrl, "the API key and secret key")
    const api = yield* makeAuthApi({ credentials, baseUrl: config.baseUrl, transport: nodeTransport })
    const issued = yield* api.authenticate({ scope: config.scope, expiryMinutes: config.expiryMinutes })
    return formatIssued(issued, args.json)
  })

/**
 * `ipos-auth refresh`: refreshes the token of `--token`, or of stdin (`readToken`).
 *
 * @example
 * ```ts
 * Effect.runPromise(refresh({ command: "refresh", token: jwt, env: undefined, authUrl: undefined, json: true }, readStdin))
 * ```
 */
export const refresh = (
  args: RefreshArgs,
  readToken: () => Promise<string | undefined>
): Effect.Effect<string, CommandFailure> =>
  Effect.gen(function* () {
    const given = args.token ?? (yield* Effect.promise(readToken))
    if (given === undefined || given.length === 0) {
      return yield* Effect.fail(usage("no token to refresh: pass --token JWT or pipe a token on stdin"))
    }
    // A refresh needs no key, scope or expiry: only where to send (a stray IPOS_SCOPE must not stop it).
    const where = yield* resolveTarget(args, process.env)
    const api = yield* makeAuthApi({ env: where.env, baseUrl: where.baseUrl, transport: nodeTransport })
    yield* warnCleartext(api.baseUrl, "the token")
    const issued = yield* api.refresh(given)
    return formatIssued(issued, args.json)
  })
