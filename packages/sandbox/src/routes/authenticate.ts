/**
 * `POST /v1/authenticate-token`: turns `apiKey`, `secretKey`, `scope` and the optional
 * `jwtTokenExpiryMinutes` headers into a token, or into the documented refusal.
 *
 * Precedence, first failing check wins: 001 apiKey missing or empty · 002 secretKey missing or
 * empty · 003 scope missing or empty · 011 / 012 expiry below 30 / above 1440 (a value that is not
 * a whole number is 011) · 004 no credential with this key and secret · 005 scope unknown or not
 * allowed for the credential's level. Shape checks come before the credential lookup, the lookup
 * before authorisation.
 */
import { randomUUID } from "node:crypto"
import type { AuthErrorCode } from "../AuthErrors.js"
import type { SandboxCredential } from "../Credentials.js"
import { issue, refuse } from "../internal/answers.js"
import type { Context } from "../internal/Context.js"
import { header, type Reply, type SandboxRequest } from "../internal/http.js"
import { matchCredential } from "../internal/matchCredential.js"
import { internalScopeNames, isScope, type Scope } from "../Scopes.js"

/** The headers of a generate request as received; `undefined` when absent. */
export interface AuthenticateHeaders {
  readonly apiKey: string | undefined
  readonly secretKey: string | undefined
  readonly scope: string | undefined
  readonly jwtTokenExpiryMinutes: string | undefined
}

/** The verdict on a generate request. */
export type AuthenticateDecision =
  | { readonly _tag: "Refuse"; readonly code: AuthErrorCode }
  | {
      readonly _tag: "Grant"
      readonly credential: SandboxCredential
      readonly scope: Scope
      readonly minutes: number
    }

/** Minutes when `jwtTokenExpiryMinutes` is absent: 24 h, as in every vendor sample. */
const defaultExpiryMinutes = 1440

/**
 * Reads `jwtTokenExpiryMinutes`. Absent or empty means the default; a whole number (optionally
 * signed) is range-checked; anything else (`60.5`, `1e3`, `abc`) is refused with 011, because it
 * does not state a lifetime of at least 30 whole minutes and the sandbox answers only with documented codes.
 *
 * @example
 * ```ts
 * expiryMinutes("29") // { _tag: "Refuse", code: "AUTH_ERR_011" }
 * ```
 */
export const expiryMinutes = (
  value: string | undefined
):
  | { readonly _tag: "Minutes"; readonly minutes: number }
  | { readonly _tag: "Refuse"; readonly code: AuthErrorCode } => {
  if (value === undefined || value.trim() === "") return { _tag: "Minutes", minutes: defaultExpiryMinutes }
  if (!/^[+-]?\d+$/.test(value.trim())) return { _tag: "Refuse", code: "AUTH_ERR_011" }
  const minutes = Number(value.trim())
  if (minutes < 30) return { _tag: "Refuse", code: "AUTH_ERR_011" }
  if (minutes > 1440) return { _tag: "Refuse", code: "AUTH_ERR_012" }
  return { _tag: "Minutes", minutes }
}

const present = (value: string | undefined): value is string => value !== undefined && value !== ""

/**
 * Decides a generate request, in the precedence of this module's comment. Pure: no clock, no state.
 *
 * @example
 * ```ts
 * decideAuthenticate({ apiKey: "demo-merchant-api-key", secretKey: "demo-merchant-secret-key", scope: "ExternalApi", jwtTokenExpiryMinutes: undefined }, demoCredentials)
 * // { _tag: "Refuse", code: "AUTH_ERR_005" }
 * ```
 */
export const decideAuthenticate = (
  headers: AuthenticateHeaders,
  credentials: ReadonlyArray<SandboxCredential>
): AuthenticateDecision => {
  if (!present(headers.apiKey)) return { _tag: "Refuse", code: "AUTH_ERR_001" }
  if (!present(headers.secretKey)) return { _tag: "Refuse", code: "AUTH_ERR_002" }
  if (!present(headers.scope)) return { _tag: "Refuse", code: "AUTH_ERR_003" }
  const expiry = expiryMinutes(headers.jwtTokenExpiryMinutes)
  if (expiry._tag === "Refuse") return expiry
  const credential = matchCredential(credentials, headers.apiKey, headers.secretKey)
  if (credential === undefined) return { _tag: "Refuse", code: "AUTH_ERR_004" }
  const scope = headers.scope
  if (!isScope(scope) || !credential.scopes.includes(scope)) return { _tag: "Refuse", code: "AUTH_ERR_005" }
  return { _tag: "Grant", credential, scope, minutes: expiry.minutes }
}

/** Answers `POST /v1/authenticate-token` (faults are applied before this). */
export const authenticate = async (request: SandboxRequest, ctx: Context): Promise<Reply> => {
  const decision = decideAuthenticate(
    {
      apiKey: header(request, "apiKey"),
      secretKey: header(request, "secretKey"),
      scope: header(request, "scope"),
      jwtTokenExpiryMinutes: header(request, "jwtTokenExpiryMinutes")
    },
    ctx.settings.credentials
  )
  if (decision._tag === "Refuse") return refuse(ctx, decision.code)
  const uniqueId = randomUUID()
  const scope = internalScopeNames[decision.scope]
  // The registry keeps the lifetime asked for: an override only shapes the tokens issued while it is set.
  ctx.tokens.issue(uniqueId, scope, decision.minutes * 60)
  return issue(ctx, { uniqueId, scope, lifetimeSeconds: ctx.faults.tokenLifetimeSeconds ?? decision.minutes * 60 })
}
