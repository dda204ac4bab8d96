/**
 * The `AUTH_ERR_*` refusals of the iPOSpays Authentication Token API, with the exact messages the
 * vendor documents (the same strings as the named examples of `spec/openapi.yaml`).
 */

/**
 * Every documented code and its message, in the vendor's words.
 *
 * @example
 * ```ts
 * authErrorMessages.AUTH_ERR_004 // "Invalid Credentials, Please Contact Support Team."
 * ```
 */
export const authErrorMessages = {
  AUTH_ERR_001: "API Key is required.",
  AUTH_ERR_002: "Secret Key is required.",
  AUTH_ERR_003: "Scope is required.",
  AUTH_ERR_004: "Invalid Credentials, Please Contact Support Team.",
  AUTH_ERR_005: "Invalid scope provided. Please use a valid scope.",
  AUTH_ERR_006: "Invalid Token, Please try with a Valid Token.",
  AUTH_ERR_007: "Invalid Token, Please try with a Valid Token.",
  AUTH_ERR_008: "Invalid Signature.",
  AUTH_ERR_009: "Refresh Token needs to be true in the Header.",
  AUTH_ERR_011: "Minimum expiry time cannot be less than 30 minutes.",
  AUTH_ERR_012: "Maximum expiry time cannot be more than 24 hours."
} as const

/** A documented error code. */
export type AuthErrorCode = keyof typeof authErrorMessages

/** The body of a refusal: `{ errorCode, errorMessage }` (the spec's `AuthError`). */
export interface AuthErrorBody {
  readonly errorCode: string
  readonly errorMessage: string
}

/**
 * The body the service sends for a documented code.
 *
 * @example
 * ```ts
 * authError("AUTH_ERR_008") // { errorCode: "AUTH_ERR_008", errorMessage: "Invalid Signature." }
 * ```
 */
export const authError = (code: AuthErrorCode): AuthErrorBody => ({
  errorCode: code,
  errorMessage: authErrorMessages[code]
})

/**
 * Whether a string has the shape of an error code, documented or not (`AUTH_ERR_` and three digits),
 * which is what the spec's `AuthError.errorCode` pattern allows.
 *
 * @example
 * ```ts
 * isAuthErrorCode("AUTH_ERR_013") // true
 * ```
 */
export const isAuthErrorCode = (value: string): boolean => /^AUTH_ERR_\d{3}$/.test(value)
