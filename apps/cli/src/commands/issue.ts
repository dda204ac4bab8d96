/**
 * `ipos-auth token` and `ipos-auth refresh`: one call to the auth API with the core's `AuthApi`
 * (validation before sending, retries, typed failures) over the Node transport, printed as the
 * bare token or as JSON.
 */
import {
  type AuthConfigInput,
  type IssuedToken,
  loadAuthConfig,
  makeAuthApi,
  requireCredentials
} from "@ipos/auth-core"
import { nodeTransport } from "@ipos/auth-core/node"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
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

const overrides = (args: {
  readonly env: string | undefined
  readonly authUrl: string | undefined
}): AuthConfigInput => ({
  ...(args.env === undefined ? {} : { env: args.env }),
  ...(args.authUrl === undefined ? {} : { baseUrl: args.authUrl })
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
    const config = yield* loadAuthConfig({
      ...overrides(args),
      ...(args.scope === undefined ? {} : { scope: args.scope }),
      ...(args.expiry === undefined ? {} : { expiryMinutes: args.expiry })
    })
    const credentials = yield* requireCredentials(config)
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
    const config = yield* loadAuthConfig(overrides(args))
    const api = yield* makeAuthApi({ baseUrl: config.baseUrl, transport: nodeTransport })
    const issued = yield* api.refresh(given)
    return formatIssued(issued, args.json)
  })
