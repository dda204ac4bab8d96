/**
 * `ipos-auth decode`: a token's header, claims and times, for people and for scripts. The
 * signature is not verified (iPOSpays publishes no public key), and the output says so. Pure: it
 * loads no HTTP stack and no Effect runtime, so it starts as fast as `node` itself.
 */
import { type DecodedJwt, isExpired, readJwt } from "@ipos/auth-core/JwtReader"
import type { DecodeArgs } from "../FastArgs.js"
import { isoTime } from "../IsoTime.js"
import { relativeTime } from "../RelativeTime.js"

/** The `--json` shape of `decode`. */
export interface DecodeJson {
  readonly header: DecodedJwt["header"]
  readonly claims: DecodedJwt["claims"]
  readonly issuedAt: string | null
  readonly expiresAt: string | null
  readonly expired: boolean | null
}

/** What `decode` prints, or why it cannot (a usage failure: exit 2). */
export type DecodeOutcome =
  | { readonly ok: true; readonly stdout: string }
  | { readonly ok: false; readonly message: string }

// A claim that is a number but no time (`exp` in microseconds, say) is shown as invalid, not as a date.
const when = (ms: number | undefined, claim: unknown, now: number): string => {
  const iso = isoTime(ms)
  if (ms === undefined || iso === null)
    return typeof claim === "number" ? `invalid (${claim} is not a time in seconds since the epoch)` : "unknown"
  return `${iso} (${relativeTime((ms - now) / 1000)})`
}

/**
 * Decodes `jwt` (already read from the argument or stdin) at time `now`.
 *
 * @example
 * ```ts
 * decode({ command: "decode", jwt, json: true }, Date.now())
 * // { ok: true, stdout: '{"header":{"alg":"RS256"},"claims":{…},"issuedAt":"…","expiresAt":"…","expired":false}\n' }
 * ```
 */
export const decode = (args: DecodeArgs, now: number): DecodeOutcome => {
  const text = args.jwt?.trim() ?? ""
  if (text.length === 0)
    return { ok: false, message: 'no token to decode: pipe it on stdin (echo "$TOKEN" | ipos-auth decode)' }
  const jwt = readJwt(text)
  if ("problem" in jwt) return { ok: false, message: `Not a JWT: ${jwt.detail}` }
  const expiresAt = isoTime(jwt.expiresAt)
  const expired = expiresAt === null ? null : isExpired(jwt, now)
  if (args.json) {
    const body: DecodeJson = {
      header: jwt.header,
      claims: jwt.claims,
      issuedAt: isoTime(jwt.issuedAt),
      expiresAt,
      expired
    }
    return { ok: true, stdout: `${JSON.stringify(body, null, 2)}\n` }
  }
  const lines = [
    `header     ${JSON.stringify(jwt.header)}`,
    `claims     ${JSON.stringify(jwt.claims)}`,
    `issued     ${when(jwt.issuedAt, jwt.claims.iat, now)}`,
    `expires    ${when(jwt.expiresAt, jwt.claims.exp, now)}`,
    `expired    ${expired === null ? `unknown (${"exp" in jwt.claims ? "exp is not a time" : "no exp claim"})` : expired ? "yes" : "no"}`,
    `signature  not verified: iPOSpays publishes no public key, so these claims are unchecked`
  ]
  return { ok: true, stdout: `${lines.join("\n")}\n` }
}
