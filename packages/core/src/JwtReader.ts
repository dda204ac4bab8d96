/**
 * Reading a compact JWT's header and claims, **without verifying the signature** (iPOSpays
 * publishes no public key). Plain functions and data, no Effect and no `node:` import, so a CLI's
 * `decode` or a browser page can import `@ipos/auth-core/JwtReader` and load nothing else;
 * `Jwt.ts` builds the Effect-flavoured `decodeJwt` on it.
 *
 * iPOSpays tokens are RS256 JWTs whose claims carry an internal scope name (`paymentTokenize`, not
 * the requested `PaymentTokenization`), a `uniqueId`, `iat` and `exp` (seconds since the epoch).
 *
 * @since 0.1.0
 */

/**
 * A JWT header. iPOSpays sends `{ "alg": "RS256" }` (no `typ`, no `kid`).
 *
 * @example
 * ```ts
 * import { type JwtHeader, readJwt } from "@ipos/auth-core/JwtReader"
 * const alg = (header: JwtHeader) => header.alg // "RS256" for iPOSpays
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface JwtHeader {
  readonly alg?: string
  readonly typ?: string
  readonly kid?: string
  readonly [name: string]: unknown
}

/**
 * JWT claims as found (never compared with the requested scope).
 *
 * @example
 * ```ts
 * import type { JwtClaims } from "@ipos/auth-core/Jwt"
 * const uniqueId = (claims: JwtClaims) => (typeof claims.uniqueId === "string" ? claims.uniqueId : undefined)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface JwtClaims {
  /** iPOSpays' internal scope name, e.g. `paymentTokenize`. */
  readonly scope?: unknown
  readonly uniqueId?: unknown
  /** Issued at, seconds since the epoch. */
  readonly iat?: unknown
  /** Expires at, seconds since the epoch. */
  readonly exp?: unknown
  readonly [name: string]: unknown
}

/**
 * A decoded (not verified) JWT.
 *
 * @example
 * ```ts
 * import { decodeJwt, type DecodedJwt } from "@ipos/auth-core/Jwt"
 * const summary = (d: DecodedJwt) => `${d.claimScope} until ${new Date(d.expiresAt ?? 0).toISOString()} (${d.fingerprint})`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodedJwt {
  readonly header: JwtHeader
  readonly claims: JwtClaims
  /** `iat` in epoch milliseconds, when it is a finite number. */
  readonly issuedAt: number | undefined
  /** `exp` in epoch milliseconds, when it is a finite number. */
  readonly expiresAt: number | undefined
  /** The claim `scope` when it is a string (an internal name such as `paymentTokenize`). */
  readonly claimScope: string | undefined
  /** Safe to print: `…` and the last 6 characters of the signature. */
  readonly fingerprint: string
  /** Always `false`: the signature was not checked. */
  readonly verified: false
}

/**
 * Why a string is not a JWT: which part failed, and a safe one-line detail (never the token).
 *
 * @since 0.1.0
 * @category models
 */
export interface JwtProblem {
  readonly problem: true
  readonly reason: "segments" | "header" | "claims"
  readonly detail: string
}

const SEGMENT = /^[A-Za-z0-9_-]*$/

const base64UrlToText = (segment: string): string | undefined => {
  if (!SEGMENT.test(segment) || segment.length % 4 === 1) return undefined
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/")
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4)
  try {
    const binary = atob(padded)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

const parseObject = (text: string | undefined): Record<string, unknown> | undefined => {
  if (text === undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

const secondsToMillis = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value * 1000 : undefined

/**
 * A printable fingerprint of a token: `…` and the last 6 characters of its signature (or of the
 * string when it has no dots). Enough to correlate logs, useless to an attacker.
 *
 * @example
 * ```ts
 * import { fingerprint } from "@ipos/auth-core/Jwt"
 * fingerprint("aaa.bbb.signature123456") // "…123456"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const fingerprint = (token: string): string => {
  const last = token.slice(token.lastIndexOf(".") + 1)
  return `…${last.slice(-6)}`
}

/**
 * Reads a token's header and claims, or says why it cannot.
 *
 * @example
 * ```ts
 * import { readJwt } from "@ipos/auth-core/JwtReader"
 * const jwt = readJwt(token)
 * if (!("problem" in jwt)) console.log(jwt.claimScope, new Date(jwt.expiresAt ?? 0).toISOString())
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const readJwt = (token: string): DecodedJwt | JwtProblem => {
  const parts = token.trim().split(".")
  if (parts.length !== 3) {
    return { problem: true, reason: "segments", detail: `expected 3 segments, got ${parts.length}` }
  }
  const [headerPart = "", claimsPart = "", signaturePart = ""] = parts
  const header = parseObject(base64UrlToText(headerPart))
  if (header === undefined) {
    return { problem: true, reason: "header", detail: "the header is not base64url JSON" }
  }
  const claims = parseObject(base64UrlToText(claimsPart))
  if (claims === undefined) {
    return { problem: true, reason: "claims", detail: "the claims are not base64url JSON" }
  }
  return {
    header,
    claims,
    issuedAt: secondsToMillis(claims.iat),
    expiresAt: secondsToMillis(claims.exp),
    claimScope: typeof claims.scope === "string" ? claims.scope : undefined,
    fingerprint: `…${signaturePart.slice(-6)}`,
    verified: false
  }
}

/**
 * Whether a decoded token is expired at `now` (epoch ms). A token without a readable `exp` counts
 * as expired. `skewMs` is added to `now` (positive: treat it as expiring earlier).
 *
 * @example
 * ```ts
 * import { isExpired, readJwt } from "@ipos/auth-core/JwtReader"
 * const jwt = readJwt(token)
 * if (!("problem" in jwt) && isExpired(jwt, Date.now())) console.log("expired")
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const isExpired = (decoded: DecodedJwt, now: number, skewMs = 0): boolean =>
  decoded.expiresAt === undefined || now + skewMs >= decoded.expiresAt
