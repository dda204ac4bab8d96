/**
 * Refusals by iPOSpays: one tagged error class per documented `AUTH_ERR` code, and
 * {@link UnknownAuthError} for any other `AUTH_ERR_xxx`, kept verbatim.
 *
 * Every class carries the `code`, the server's message (`serverMessage`, scrubbed of secrets and
 * cut to one line), the HTTP `status` it came with, `kind: "rejected"` (CLI exit code 3),
 * `retryable: false` and, where one helps, a `hint`. The `message` is one safe line:
 * `AUTH_ERR_004: Invalid Credentials, Please Contact Support Team.`
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"

/**
 * The hints shown next to a refusal, per documented code.
 *
 * @example
 * ```ts
 * import { authErrorHints } from "@ipos/auth-core"
 * console.log(authErrorHints.AUTH_ERR_005)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const authErrorHints = {
  AUTH_ERR_001:
    "The apiKey header was empty: set IPOS_API_KEY (iPOSpays portal: Settings → Generate API & Secret Key).",
  AUTH_ERR_002:
    "The secretKey header was empty: set IPOS_SECRET_KEY (iPOSpays portal: Settings → Generate API & Secret Key).",
  AUTH_ERR_003: "The scope header was empty: use PaymentTokenization, Recurring, BatchReport or ExternalApi.",
  AUTH_ERR_004:
    "Check the API key and secret key, and that they belong to the chosen environment (sandbox keys do not work in production).",
  AUTH_ERR_005:
    "Scopes allowed per credential level: merchant — PaymentTokenization, Recurring, BatchReport; ISO — ExternalApi, PaymentTokenization, Recurring, BatchReport; Agent Office — ExternalApi.",
  AUTH_ERR_006: "The token is not a valid iPOSpays JWT: generate a new one with the API key and secret key.",
  AUTH_ERR_007: "The token can no longer be refreshed: generate a new one with the API key and secret key.",
  AUTH_ERR_008: "The token's signature was refused: generate a new one with the API key and secret key.",
  AUTH_ERR_009: "The refreshToken header must be true (a client bug: please report it).",
  AUTH_ERR_011: "jwtTokenExpiryMinutes must be at least 30.",
  AUTH_ERR_012: "jwtTokenExpiryMinutes must be at most 1440 (24 hours)."
} as const

/**
 * A documented `AUTH_ERR` code.
 *
 * @example
 * ```ts
 * import type { DocumentedAuthErrorCode } from "@ipos/auth-core"
 * const code: DocumentedAuthErrorCode = "AUTH_ERR_004"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type DocumentedAuthErrorCode = keyof typeof authErrorHints

/**
 * The hint for a code, if one exists.
 *
 * @example
 * ```ts
 * import { hintFor } from "@ipos/auth-core"
 * hintFor("AUTH_ERR_011") // "jwtTokenExpiryMinutes must be at least 30."
 * hintFor("AUTH_ERR_099") // undefined
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const hintFor = (code: string): string | undefined =>
  Object.hasOwn(authErrorHints, code) ? authErrorHints[code as DocumentedAuthErrorCode] : undefined

/**
 * Fields every refusal is constructed with.
 *
 * @example
 * ```ts
 * import { InvalidScope, type RejectionFields } from "@ipos/auth-core"
 * const fields: RejectionFields = { serverMessage: "Invalid scope provided.", status: 200 }
 * new InvalidScope(fields)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RejectionFields {
  /** The server's `errorMessage`, already scrubbed of secrets and cut to one line. */
  readonly serverMessage: string
  /** The HTTP status the refusal came with (iPOSpays documents errors under 200). */
  readonly status?: number
}

const messageOf = (code: string, serverMessage: string): string =>
  serverMessage.length > 0 ? `${code}: ${serverMessage}` : `${code}: refused by iPOSpays`

/**
 * A documented refusal: a yieldable tagged error with its code, classification and hint.
 *
 * @since 0.1.0
 * @category models
 */
export interface DocumentedRejection<Tag extends string, Code extends DocumentedAuthErrorCode>
  extends Cause.YieldableError,
    RejectionFields {
  readonly _tag: Tag
  /** The documented code. */
  readonly code: Code
  /** Failure classification: refused by iPOSpays (CLI exit code 3). */
  readonly kind: "rejected"
  /** Refusals are final: the same request gets the same answer. */
  readonly retryable: false
  /** What to do about it. */
  readonly hint: string
}

/**
 * What every documented refusal shares; each class below only fixes its tag and its code.
 */
const Rejection = <const Tag extends string, const Code extends DocumentedAuthErrorCode>(
  tag: Tag,
  code: Code
): (new (
  fields: RejectionFields
) => DocumentedRejection<Tag, Code>) =>
  class extends Data.TaggedError(tag)<RejectionFields> {
    readonly code: Code = code
    readonly kind = "rejected" as const
    readonly retryable = false as const
    /** One safe line: the code and the server's message. */
    override get message(): string {
      return messageOf(this.code, this.serverMessage)
    }
    get hint(): string {
      return authErrorHints[this.code]
    }
  }

/**
 * `AUTH_ERR_001`: the `apiKey` header was missing or empty.
 *
 * @example
 * ```ts
 * import { ApiKeyRequired } from "@ipos/auth-core"
 * new ApiKeyRequired({ serverMessage: "API Key is required." }).message // "AUTH_ERR_001: API Key is required."
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiKeyRequired extends Rejection("ApiKeyRequired", "AUTH_ERR_001") {}

/**
 * `AUTH_ERR_002`: the `secretKey` header was missing or empty.
 *
 * @example
 * ```ts
 * import { SecretKeyRequired } from "@ipos/auth-core"
 * new SecretKeyRequired({ serverMessage: "Secret Key is required." }).code // "AUTH_ERR_002"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class SecretKeyRequired extends Rejection("SecretKeyRequired", "AUTH_ERR_002") {}

/**
 * `AUTH_ERR_003`: the `scope` header was missing or empty.
 *
 * @example
 * ```ts
 * import { ScopeRequired } from "@ipos/auth-core"
 * new ScopeRequired({ serverMessage: "Scope is required." }).retryable // false
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ScopeRequired extends Rejection("ScopeRequired", "AUTH_ERR_003") {}

/**
 * `AUTH_ERR_004`: the API key and secret key do not match a credential.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AuthApi } from "@ipos/auth-core"
 * const program = AuthApi.use((api) => api.authenticate({ scope: "Recurring" })).pipe(
 *   Effect.catchTag("InvalidCredentials", (e) => Effect.logError(e.message, e.hint))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCredentials extends Rejection("InvalidCredentials", "AUTH_ERR_004") {}

/**
 * `AUTH_ERR_005`: the scope is unknown or not allowed for the credential's level; `hint` lists the
 * scopes each level may use.
 *
 * @example
 * ```ts
 * import { InvalidScope } from "@ipos/auth-core"
 * new InvalidScope({ serverMessage: "Invalid scope provided. Please use a valid scope." }).hint
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidScope extends Rejection("InvalidScope", "AUTH_ERR_005") {}

/**
 * `AUTH_ERR_006`: the token sent to refresh was missing or not a JWT.
 *
 * @example
 * ```ts
 * import { InvalidToken } from "@ipos/auth-core"
 * new InvalidToken({ serverMessage: "Invalid Token, Please try with a Valid Token." }).code // "AUTH_ERR_006"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidToken extends Rejection("InvalidToken", "AUTH_ERR_006") {}

/**
 * `AUTH_ERR_007`: the token was not issued by iPOSpays or can no longer be refreshed.
 *
 * @example
 * ```ts
 * import { TokenNotRefreshable } from "@ipos/auth-core"
 * new TokenNotRefreshable({ serverMessage: "Invalid Token, Please try with a Valid Token." }).code // "AUTH_ERR_007"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenNotRefreshable extends Rejection("TokenNotRefreshable", "AUTH_ERR_007") {}

/**
 * `AUTH_ERR_008`: the token's signature was refused.
 *
 * @example
 * ```ts
 * import { InvalidSignature } from "@ipos/auth-core"
 * new InvalidSignature({ serverMessage: "Invalid Signature." }).message // "AUTH_ERR_008: Invalid Signature."
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSignature extends Rejection("InvalidSignature", "AUTH_ERR_008") {}

/**
 * `AUTH_ERR_009`: the `refreshToken` header was missing or not `true`.
 *
 * @example
 * ```ts
 * import { RefreshFlagRequired } from "@ipos/auth-core"
 * new RefreshFlagRequired({ serverMessage: "Refresh Token needs to be true in the Header." }).code
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class RefreshFlagRequired extends Rejection("RefreshFlagRequired", "AUTH_ERR_009") {}

/**
 * `AUTH_ERR_011`: `jwtTokenExpiryMinutes` was below 30.
 *
 * @example
 * ```ts
 * import { ExpiryTooShort } from "@ipos/auth-core"
 * new ExpiryTooShort({ serverMessage: "Minimum expiry time cannot be less than 30 minutes." }).hint
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ExpiryTooShort extends Rejection("ExpiryTooShort", "AUTH_ERR_011") {}

/**
 * `AUTH_ERR_012`: `jwtTokenExpiryMinutes` was above 1440.
 *
 * @example
 * ```ts
 * import { ExpiryTooLong } from "@ipos/auth-core"
 * new ExpiryTooLong({ serverMessage: "Maximum expiry time cannot be more than 24 hours." }).hint
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ExpiryTooLong extends Rejection("ExpiryTooLong", "AUTH_ERR_012") {}

/**
 * Any other `AUTH_ERR_xxx` (the numbering has gaps: 010, 013+), with its code and message kept as
 * they came.
 *
 * @example
 * ```ts
 * import { UnknownAuthError } from "@ipos/auth-core"
 * const e = new UnknownAuthError({ code: "AUTH_ERR_013", serverMessage: "Something new." })
 * e.message // "AUTH_ERR_013: Something new."
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownAuthError extends Data.TaggedError("UnknownAuthError")<
  RejectionFields & { readonly code: string }
> {
  /** Failure classification: refused by iPOSpays (CLI exit code 3). */
  readonly kind = "rejected" as const
  /** Unknown refusals are not retried. */
  readonly retryable = false as const
  /** One safe line: the code and the server's message. */
  override get message(): string {
    return messageOf(this.code, this.serverMessage)
  }
  /** No hint is known for an undocumented code. */
  get hint(): string | undefined {
    return undefined
  }
}

/**
 * Any refusal by iPOSpays.
 *
 * @example
 * ```ts
 * import type { AuthRejection } from "@ipos/auth-core"
 * const describe = (e: AuthRejection) => `${e.code} ${e.hint ?? ""}`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type AuthRejection =
  | ApiKeyRequired
  | SecretKeyRequired
  | ScopeRequired
  | InvalidCredentials
  | InvalidScope
  | InvalidToken
  | TokenNotRefreshable
  | InvalidSignature
  | RefreshFlagRequired
  | ExpiryTooShort
  | ExpiryTooLong
  | UnknownAuthError

/**
 * The refusals that mean "this token cannot be refreshed": the token manager falls back to a new
 * authentication when a refresh ends with one of them.
 *
 * @example
 * ```ts
 * import { isTokenRefused, type TokenRefused } from "@ipos/auth-core"
 * const mustReauthenticate = (e: AuthRejection): e is TokenRefused => isTokenRefused(e)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type TokenRefused = InvalidToken | TokenNotRefreshable | InvalidSignature

const constructors: {
  readonly [C in DocumentedAuthErrorCode]: new (
    fields: RejectionFields
  ) => AuthRejection
} = {
  AUTH_ERR_001: ApiKeyRequired,
  AUTH_ERR_002: SecretKeyRequired,
  AUTH_ERR_003: ScopeRequired,
  AUTH_ERR_004: InvalidCredentials,
  AUTH_ERR_005: InvalidScope,
  AUTH_ERR_006: InvalidToken,
  AUTH_ERR_007: TokenNotRefreshable,
  AUTH_ERR_008: InvalidSignature,
  AUTH_ERR_009: RefreshFlagRequired,
  AUTH_ERR_011: ExpiryTooShort,
  AUTH_ERR_012: ExpiryTooLong
}

/**
 * The class name (`_tag`) for each documented code.
 *
 * @example
 * ```ts
 * import { authErrorTags } from "@ipos/auth-core"
 * authErrorTags.AUTH_ERR_004 // "InvalidCredentials"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const authErrorTags = {
  AUTH_ERR_001: "ApiKeyRequired",
  AUTH_ERR_002: "SecretKeyRequired",
  AUTH_ERR_003: "ScopeRequired",
  AUTH_ERR_004: "InvalidCredentials",
  AUTH_ERR_005: "InvalidScope",
  AUTH_ERR_006: "InvalidToken",
  AUTH_ERR_007: "TokenNotRefreshable",
  AUTH_ERR_008: "InvalidSignature",
  AUTH_ERR_009: "RefreshFlagRequired",
  AUTH_ERR_011: "ExpiryTooShort",
  AUTH_ERR_012: "ExpiryTooLong"
} as const satisfies Record<DocumentedAuthErrorCode, AuthRejection["_tag"]>

/**
 * Builds the refusal for a code: the documented class when there is one, else
 * {@link UnknownAuthError} with the code kept verbatim. The message should already be scrubbed.
 *
 * @example
 * ```ts
 * import { makeRejection } from "@ipos/auth-core"
 * makeRejection("AUTH_ERR_004", "Invalid Credentials, Please Contact Support Team.")._tag // "InvalidCredentials"
 * makeRejection("AUTH_ERR_010", "?")._tag // "UnknownAuthError"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeRejection = (code: string, serverMessage: string, status?: number): AuthRejection => {
  const fields: RejectionFields = status === undefined ? { serverMessage } : { serverMessage, status }
  if (Object.hasOwn(constructors, code)) {
    const Ctor = constructors[code as DocumentedAuthErrorCode]
    return new Ctor(fields)
  }
  return new UnknownAuthError({ ...fields, code })
}

const rejectionTags: ReadonlySet<string> = new Set([...Object.values(authErrorTags), "UnknownAuthError"])

/**
 * Whether a value is a refusal by iPOSpays.
 *
 * @example
 * ```ts
 * import { isAuthRejection, makeRejection } from "@ipos/auth-core"
 * isAuthRejection(makeRejection("AUTH_ERR_008", "Invalid Signature.")) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isAuthRejection = (u: unknown): u is AuthRejection =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" && rejectionTags.has(u._tag)

/**
 * Whether a refusal means the token cannot be refreshed (`AUTH_ERR_006`, `007`, `008`).
 *
 * @example
 * ```ts
 * import { isTokenRefused, makeRejection } from "@ipos/auth-core"
 * isTokenRefused(makeRejection("AUTH_ERR_007", "Invalid Token, Please try with a Valid Token.")) // true
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isTokenRefused = (error: AuthRejection): error is TokenRefused =>
  error._tag === "InvalidToken" || error._tag === "TokenNotRefreshable" || error._tag === "InvalidSignature"
