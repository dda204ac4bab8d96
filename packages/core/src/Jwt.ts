/**
 * Decoding of a compact JWT's header and claims as an Effect `Result`, **without verifying the
 * signature** (iPOSpays publishes no public key). Built on the plain `JwtReader`; no `node:`
 * import, so `@ipos/auth-core/Jwt` runs in browsers too.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import { type DecodedJwt, readJwt } from "./JwtReader.js"

export { type DecodedJwt, fingerprint, isExpired, type JwtClaims, type JwtHeader } from "./JwtReader.js"

/**
 * Why a string could not be decoded as a JWT.
 *
 * @example
 * ```ts
 * import { decodeJwt } from "@ipos/auth-core/Jwt"
 * const result = decodeJwt("nope")
 * if (result._tag === "Failure") console.log(result.failure.message) // "Not a JWT: expected 3 segments, got 1"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class JwtDecodeError extends Data.TaggedError("JwtDecodeError")<{
  readonly reason: "segments" | "header" | "claims"
  readonly detail: string
}> {
  /** One safe line (never contains the token). */
  override get message(): string {
    return `Not a JWT: ${this.detail}`
  }
}

/**
 * Decodes a compact JWT's header and claims without verifying its signature.
 *
 * @example
 * ```ts
 * import { decodeJwt } from "@ipos/auth-core/Jwt"
 * const result = decodeJwt(token)
 * if (result._tag === "Success") {
 *   console.log(result.success.claims.uniqueId, new Date(result.success.expiresAt ?? 0).toISOString())
 * }
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeJwt = (token: string): Result.Result<DecodedJwt, JwtDecodeError> => {
  const read = readJwt(token)
  return "problem" in read
    ? Result.fail(new JwtDecodeError({ reason: read.reason, detail: read.detail }))
    : Result.succeed(read)
}
