/**
 * `ipos-auth token` and `ipos-auth refresh`: one call to the auth API with the core's `AuthApi`
 * (validation before sending, retries, typed failures) over the Node transport, printed as the
 * bare token or as JSON.
 */

import { servers } from "@ipos/auth-client"
import {
  defaultRefreshPolicy,
  type Environment,
  type IssuedToken,
  loadAuthConfig,
  MalformedResponse,
  makeAuthApi,
  planRefresh,
  type ValidationError,
  validateBaseUrl,
  validateEnvironment
} from "@ipos/auth-core"
import { nodeTransport } from "@ipos/auth-core/node"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type { RefreshArgs, TokenArgs } from "../FastArgs.js"
import { isoTime } from "../IsoTime.js"
import { type CommandFailure, type UsageFailure, usage } from "../Outcome.js"
import { publicScopeName } from "../ScopeNames.js"

/** The `--json` shape of `token` and `refresh`. */
interface TokenJson {
  readonly token: string
  readonly scope: string | null
  readonly issuedAt: string | null
  /** `null` only when the token's expiry is no time (the command then exits 5). */
  readonly expiresAt: string | null
  readonly createdDt: string | null
}

/**
 * The printed form of an issued token.
 *
 * @example
 * ```ts
 * formatIssued(issued, false) // "eyJhbGciOiJSUzI1NiJ9....\n"
 * ```
 */
const formatIssued = (issued: IssuedToken, json: boolean): string => {
  const token = Redacted.value(issued.token)
  if (!json) return `${token}\n`
  const body: TokenJson = {
    token,
    scope: issued.scope ?? publicScopeName(issued.claimScope) ?? null,
    issuedAt: isoTime(issued.issuedAt),
    expiresAt: isoTime(issued.expiresAt),
    createdDt: /^\d+$/.test(issued.createdDt) ? isoTime(Number(issued.createdDt)) : null
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

// The TokenManager's rule (`internal/manager.ts`): a token is handed out only while more than its
// safety margin is left, the margin scaled to its lifetime as measured from the request.
const expiredOnArrival = (issued: IssuedToken, now: number): boolean => {
  const remaining = issued.localExpiresAt - issued.requestedAt
  const lifetimeMs = Math.max(
    0,
    issued.localIssuedAt === undefined ? remaining : Math.max(remaining, issued.localExpiresAt - issued.localIssuedAt)
  )
  return now >= issued.localExpiresAt - planRefresh(lifetimeMs, defaultRefreshPolicy, 0).marginMs
}

/**
 * What `token` and `refresh` print for `issued` at local time `now`, or why not (exit 5 both):
 *
 * - a token already expired, or within its safety margin, on arrival is refused as the core's
 *   `TokenManager` refuses it, and not printed: `TOKEN=$(ipos-auth token)` must not hold a dead
 *   token (Prism serving a sample from 2025, a clock years off);
 * - a token whose expiry is no time (`exp` in microseconds: beyond what `Date` can hold) breaks
 *   the contract, but it was really minted and the service may well accept it: it is printed on
 *   stdout all the same (`expiresAt: null` with `--json`) rather than lost, while the exit code
 *   stops scripts that check it, and stderr says why.
 *
 * @example
 * ```ts
 * deliver(issued, true, Date.now()) // Result.succeed('{ "token": "eyJ…", … }\n')
 * ```
 */
export const deliver = (issued: IssuedToken, json: boolean, now: number): Result.Result<string, CommandFailure> => {
  const malformed = (reason: string) =>
    new MalformedResponse({ operation: issued.operation, status: 200, reason, excerpt: "" })
  if (expiredOnArrival(issued, now)) {
    return Result.fail(
      malformed("a token that is already expired (or within its safety margin) on arrival; check both clocks")
    )
  }
  const stdout = formatIssued(issued, json)
  if (isoTime(issued.expiresAt) !== null) return Result.succeed(stdout)
  const unreadable =
    issued.expirySource === "exp"
      ? `the token's exp claim (${issued.expiresAt / 1000}) is not a time in seconds since the epoch`
      : `the token has no exp claim and its createdDt (${issued.createdDt}) is not a time in milliseconds since the epoch`
  return Result.fail({
    _tag: "FailureWithOutput",
    failure: malformed(`${unreadable}; the token is printed on stdout, its expiry unknown`),
    stdout
  })
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

// The core's own wording names the library's options; on the command line only these exist.
const missingKeys =
  "IPOS_API_KEY and IPOS_SECRET_KEY are not set: export both, or IPOS_API_KEY_FILE and IPOS_SECRET_KEY_FILE naming files that hold them (the keys from the iPOSpays portal, or the demo keys `ipos-auth sandbox` prints); there are no key flags, since ps would show them"

/**
 * `ipos-auth token`: mints a token with the credentials of `IPOS_API_KEY` / `IPOS_SECRET_KEY` (or of
 * the files named by `IPOS_API_KEY_FILE` / `IPOS_SECRET_KEY_FILE`).
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
    const credentials = config.credentials
    if (credentials === undefined) return yield* Effect.fail(usage(missingKeys))
    yield* warnCleartext(config.baseUrl, "the API key and secret key")
    const api = yield* makeAuthApi({ credentials, baseUrl: config.baseUrl, transport: nodeTransport })
    const issued = yield* api.authenticate({ scope: config.scope, expiryMinutes: config.expiryMinutes })
    return yield* Effect.fromResult(deliver(issued, args.json, yield* Clock.currentTimeMillis))
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
  readToken: () => Promise<string | undefined | UsageFailure>
): Effect.Effect<string, CommandFailure> =>
  Effect.gen(function* () {
    const given = args.token ?? (yield* Effect.promise(readToken))
    if (typeof given === "object") return yield* Effect.fail(given)
    if (given === undefined || given.length === 0) {
      return yield* Effect.fail(usage('no token to refresh: pipe it on stdin (echo "$TOKEN" | ipos-auth refresh)'))
    }
    // A refresh needs no key, scope or expiry: only where to send (a stray IPOS_SCOPE must not stop it).
    const where = yield* resolveTarget(args, process.env)
    const api = yield* makeAuthApi({ env: where.env, baseUrl: where.baseUrl, transport: nodeTransport })
    yield* warnCleartext(api.baseUrl, "the token")
    const issued = yield* api.refresh(given)
    return yield* Effect.fromResult(deliver(issued, args.json, yield* Clock.currentTimeMillis))
  })
