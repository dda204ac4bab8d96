/**
 * Local validation: what is checked before any request is sent (missing or unusable credentials,
 * an unknown scope, an expiry outside 30..1440 minutes, a token that is not a JWT, a bad base URL,
 * an option out of its range: `field: "options"`, the reason naming the option).
 * A {@link ValidationError} is classified `"validation"` (CLI exit code 2: nothing was sent).
 *
 * The validators return a `Result`; they never echo a credential or a token.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import { environments, scopes } from "./internal/wire.js"
import type { Environment, Scope } from "./Schemas.js"

/**
 * What was invalid. Environment variable names are used when the value came from the environment.
 *
 * @example
 * ```ts
 * import type { ValidationField } from "@ipos/auth-core"
 * const fromEnv = (field: ValidationField) => field.startsWith("IPOS_")
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type ValidationField =
  | "apiKey"
  | "secretKey"
  | "scope"
  | "expiryMinutes"
  | "token"
  | "baseUrl"
  | "env"
  | "options"
  | "IPOS_API_KEY"
  | "IPOS_SECRET_KEY"
  | "IPOS_SCOPE"
  | "IPOS_ENV"
  | "IPOS_AUTH_URL"
  | "IPOS_TOKEN_EXPIRY_MINUTES"
  | "IPOS_API_KEY_FILE"
  | "IPOS_SECRET_KEY_FILE"

/**
 * An input was refused locally, before any request.
 *
 * @example
 * ```ts
 * import { ValidationError } from "@ipos/auth-core"
 * new ValidationError({ field: "expiryMinutes", reason: "must be an integer from 30 to 1440" }).message
 * // "Invalid expiryMinutes: must be an integer from 30 to 1440"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ValidationError extends Data.TaggedError("ValidationError")<{
  readonly field: ValidationField
  /** Why, without the offending value when it could be a secret. */
  readonly reason: string
}> {
  /** Failure classification (CLI exit code 2). */
  readonly kind = "validation" as const
  /** Fix the input instead. */
  readonly retryable = false as const
  /** One safe line. */
  override get message(): string {
    return `Invalid ${this.field}: ${this.reason}`
  }
}

// One of a fixed set of strings; the value is never echoed (it may be a misplaced secret).
const oneOf = <A extends string>(
  allowed: ReadonlyArray<A>,
  value: unknown,
  field: ValidationField
): Result.Result<A, ValidationError> =>
  typeof value === "string" && (allowed as ReadonlyArray<string>).includes(value)
    ? Result.succeed(value as A)
    : Result.fail(new ValidationError({ field, reason: `must be one of ${allowed.join(", ")} (value not shown)` }))

/**
 * Checks a scope.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { validateScope } from "@ipos/auth-core"
 * Result.isSuccess(validateScope("Recurring")) // true
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validateScope = (
  value: unknown,
  field: ValidationField = "scope"
): Result.Result<Scope, ValidationError> => oneOf(scopes, value, field)

/**
 * Checks an environment name.
 *
 * @example
 * ```ts
 * import { validateEnvironment } from "@ipos/auth-core"
 * validateEnvironment("staging") // Failure: not one of sandbox, production
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validateEnvironment = (
  value: unknown,
  field: ValidationField = "env"
): Result.Result<Environment, ValidationError> => oneOf(environments, value, field)

/**
 * The accepted token lifetimes, in minutes (the API answers `AUTH_ERR_011`/`012` outside).
 *
 * @example
 * ```ts
 * import { expiryMinutesRange } from "@ipos/auth-core"
 * expiryMinutesRange // { min: 30, max: 1440 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const expiryMinutesRange = { min: 30, max: 1440 } as const

/**
 * Checks a requested token lifetime: an integer from 30 to 1440.
 *
 * @example
 * ```ts
 * import { validateExpiryMinutes } from "@ipos/auth-core"
 * validateExpiryMinutes(29) // Failure
 * validateExpiryMinutes(60) // Success(60)
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validateExpiryMinutes = (
  value: unknown,
  field: ValidationField = "expiryMinutes"
): Result.Result<number, ValidationError> =>
  typeof value === "number" &&
  Number.isInteger(value) &&
  value >= expiryMinutesRange.min &&
  value <= expiryMinutesRange.max
    ? Result.succeed(value)
    : Result.fail(
        new ValidationError({
          field,
          reason:
            typeof value === "number"
              ? `${value} is not an integer from ${expiryMinutesRange.min} to ${expiryMinutesRange.max}`
              : `must be an integer from ${expiryMinutesRange.min} to ${expiryMinutesRange.max}`
        })
      )

// Header values must be visible ASCII: anything else would be refused by fetch or mangled.
const HEADER_SAFE = /^[\x21-\x7e]+$/

/**
 * Checks a credential (API key or secret key) without ever echoing it: present, and only visible
 * ASCII characters (it travels in an HTTP header).
 *
 * @example
 * ```ts
 * import { validateCredential } from "@ipos/auth-core"
 * validateCredential("", "apiKey") // Failure: is missing
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validateCredential = (
  value: string | undefined,
  field: ValidationField
): Result.Result<string, ValidationError> => {
  if (value === undefined || value.length === 0)
    return Result.fail(new ValidationError({ field, reason: "is missing" }))
  if (!HEADER_SAFE.test(value)) {
    return Result.fail(
      new ValidationError({ field, reason: "contains whitespace, control or non-ASCII characters (value not shown)" })
    )
  }
  return Result.succeed(value)
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/**
 * Checks that a token to refresh looks like a compact JWT (three base64url segments), without
 * echoing it.
 *
 * @example
 * ```ts
 * import { validateToken } from "@ipos/auth-core"
 * validateToken("not a jwt") // Failure
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validateToken = (
  value: string,
  field: ValidationField = "token"
): Result.Result<string, ValidationError> =>
  JWT_SHAPE.test(value)
    ? Result.succeed(value)
    : Result.fail(
        new ValidationError({
          field,
          reason: value.length === 0 ? "is missing" : "is not a JWT (three base64url segments; value not shown)"
        })
      )

/**
 * Checks a base URL: absolute `http:` or `https:`, no credentials, query or fragment. Returns it
 * without a trailing slash.
 *
 * @example
 * ```ts
 * import { validateBaseUrl } from "@ipos/auth-core"
 * validateBaseUrl("http://127.0.0.1:4010/") // Success("http://127.0.0.1:4010")
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const validateBaseUrl = (
  value: string,
  field: ValidationField = "baseUrl"
): Result.Result<string, ValidationError> => {
  const fail = (reason: string) => Result.fail(new ValidationError({ field, reason }))
  if (!URL.canParse(value)) return fail("is not an absolute URL")
  const url = new URL(value)
  if (url.protocol !== "http:" && url.protocol !== "https:") return fail("must use http: or https:")
  if (url.username !== "" || url.password !== "") return fail("must not contain credentials")
  if (url.search !== "" || url.hash !== "") return fail("must not have a query or a fragment")
  return Result.succeed(url.href.replace(/\/+$/, ""))
}
