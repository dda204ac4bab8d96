/**
 * The wire shapes of the token hot path, checked by hand: the same rules as the public Schemas of
 * `Schemas.ts` (`TokenResponse`, `AuthErrorBody`), which stay the documented contract, without
 * pulling Effect Schema's AST and parser into a browser bundle. `test/internal/wire.test.ts`
 * proves both accept and reject the same values and decode them equally.
 *
 * `scopes` and `environments` are public (re-exported by the main entry): they are declared here,
 * away from the Schemas, so that importing them does not pull Schema into a bundle.
 *
 * @internal
 */
import type { AuthErrorBody, TokenResponse } from "../Schemas.js"

/**
 * The four scopes a token can be requested for.
 *
 * @example
 * ```ts
 * import { scopes } from "@ipos/auth-core"
 * scopes.includes("Recurring") // true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const scopes = ["PaymentTokenization", "Recurring", "BatchReport", "ExternalApi"] as const

/**
 * The two iPOSpays environments.
 *
 * @example
 * ```ts
 * import { environments } from "@ipos/auth-core"
 * environments // ["sandbox", "production"]
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const environments = ["sandbox", "production"] as const

const jwtPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const digits = /^[0-9]+$/
const authErrorCode = /^AUTH_ERR_\d{3}$/

/** What Schema's `Struct` reads fields from: an object that is neither `null` nor an array. */
const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The spec's `AuthError`: `{ errorCode: "AUTH_ERR_ddd", errorMessage }`, other fields ignored. */
export const isAuthErrorBody = (value: unknown): value is AuthErrorBody =>
  isObject(value) &&
  typeof value.errorCode === "string" &&
  authErrorCode.test(value.errorCode) &&
  typeof value.errorMessage === "string"

/** A compact JWT (three base64url parts): what the spec allows as a token, and all a header may carry of it. */
export const isCompactJwt = (value: string): boolean => jwtPattern.test(value)

/** The spec's `TokenResponse`, with only its four fields kept; `undefined` when it is not one. */
export const decodeTokenResponse = (value: unknown): TokenResponse | undefined => {
  if (!isObject(value)) return undefined
  const { responseCode, responseMessage, createdDt, token } = value
  if (responseCode !== "00" || typeof responseMessage !== "string") return undefined
  if (typeof createdDt !== "string" || !digits.test(createdDt)) return undefined
  if (typeof token !== "string" || !jwtPattern.test(token)) return undefined
  return { responseCode, responseMessage, createdDt, token }
}
