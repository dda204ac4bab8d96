/**
 * The API key and secret key, held as `Redacted` from the moment they are read until the request
 * headers are written. Printing, logging or JSON-encoding them shows `<redacted>`.
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { shortHash } from "./internal/redact.js"
import { type ValidationError, type ValidationField, validateCredential } from "./ValidationError.js"

/**
 * An iPOSpays API key and secret key.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { Credentials } from "@ipos/auth-core"
 * const credentials: Credentials = { apiKey: Redacted.make(apiKey), secretKey: Redacted.make(secretKey) }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  readonly apiKey: Redacted.Redacted<string>
  readonly secretKey: Redacted.Redacted<string>
}

/**
 * What {@link makeCredentials} accepts: plain strings or `Redacted` values.
 *
 * @example
 * ```ts
 * import { makeCredentials, type CredentialsInput } from "@ipos/auth-core"
 * const input: CredentialsInput = { apiKey: "demo-api-key", secretKey: "demo-secret-key" }
 * makeCredentials(input)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CredentialsInput {
  readonly apiKey: string | Redacted.Redacted<string>
  readonly secretKey: string | Redacted.Redacted<string>
}

const reveal = (value: string | Redacted.Redacted<string> | undefined): string | undefined =>
  value === undefined ? undefined : Redacted.isRedacted(value) ? Redacted.value(value) : value

/**
 * Validates and wraps credentials. Fails with a `ValidationError` (never showing the value) when a
 * key is missing or contains characters that cannot travel in an HTTP header.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { makeCredentials } from "@ipos/auth-core"
 * const credentials = makeCredentials({ apiKey: "demo-api-key", secretKey: "demo-secret-key" })
 * Result.isSuccess(credentials) // true
 * String(Result.getOrThrow(credentials).secretKey) // "<redacted>"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeCredentials = (
  input: {
    readonly apiKey?: string | Redacted.Redacted<string> | undefined
    readonly secretKey?: string | Redacted.Redacted<string> | undefined
  },
  fields: { readonly apiKey: ValidationField; readonly secretKey: ValidationField } = {
    apiKey: "apiKey",
    secretKey: "secretKey"
  }
): Result.Result<Credentials, ValidationError> =>
  Result.gen(function* () {
    const apiKey = yield* validateCredential(reveal(input.apiKey), fields.apiKey)
    const secretKey = yield* validateCredential(reveal(input.secretKey), fields.secretKey)
    return {
      apiKey: Redacted.make(apiKey, { label: "IPOS_API_KEY" }),
      secretKey: Redacted.make(secretKey, { label: "IPOS_SECRET_KEY" })
    }
  })

/**
 * A short, non-reversible identifier of a credential set (a 32-bit hash of both keys), used in
 * events, status and metric labels to tell credential sets apart without carrying either key. It
 * is the same in every process (metric series survive restarts); as it covers the secret key too,
 * it cannot confirm a guessed API key.
 *
 * @example
 * ```ts
 * import { credentialsId } from "@ipos/auth-core"
 * credentialsId(credentials) // e.g. "3f9a01c2"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const credentialsId = (credentials: Credentials): string =>
  shortHash(`${Redacted.value(credentials.apiKey)}\u0000${Redacted.value(credentials.secretKey)}`)
