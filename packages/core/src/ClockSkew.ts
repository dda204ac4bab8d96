/**
 * Clock-offset learning: how far the service's clock is from this machine's, estimated at the
 * moment a token arrives from the response `Date` header and the token's `iat`.
 *
 * A `Date` header is stamped between the request's start and its answer, in whole seconds, so it
 * bounds the offset from above: `offset ≤ date + 1000 − requestedAt` (server minus local, in ms).
 * A token's `iat` gives the same bound only when the token was minted during the request — which
 * nothing guarantees: the vendor's own samples carry an `iat` unrelated to the moment they were
 * sent. A stale `iat` gives a bound that is too LOW (the service looks behind), which would move
 * the local expiry later than the real one and hand out expired tokens. Hence:
 *
 * - with a `Date` header, the larger of both bounds wins (it makes every token expire earlier
 *   locally, never later): a machine minutes off is corrected, a stale token is judged by `Date`,
 *   a gateway whose clock lags the auth server by `iat`;
 * - with `iat` alone, it is trusted only when it says the service is AHEAD (offset > 0: tokens
 *   are refreshed earlier). When it says the service is behind it is clamped to the previous
 *   estimate (when there is one, it came from a `Date` header) or to 0: an `iat` alone never
 *   moves an expiry later than the token's `exp` read on the local clock. (What stays invisible
 *   without a `Date` header: a service clock ahead of ours combined with a stale token.)
 * - with neither, the previous estimate is kept.
 *
 * @since 0.1.0
 */

/**
 * What was observed around one request. Times are epoch milliseconds; `requestedAt` and
 * `receivedAt` are on the local clock, `serverDate` and `issuedAt` on the service's.
 *
 * @example
 * ```ts
 * import { estimateOffset, type ClockSample } from "@ipos/auth-core"
 * const sample: ClockSample = { requestedAt: Date.now(), receivedAt: Date.now(), serverDate: Date.parse(dateHeader) }
 * estimateOffset(sample)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ClockSample {
  readonly requestedAt: number
  readonly receivedAt: number
  /** The response `Date` header (second resolution), when present and readable. */
  readonly serverDate?: number | undefined
  /** The token's `iat` in milliseconds, when present. */
  readonly issuedAt?: number | undefined
}

/**
 * An estimate of `service clock − local clock`, in milliseconds, and where it came from.
 *
 * @example
 * ```ts
 * import type { ClockOffset } from "@ipos/auth-core"
 * const toLocal = (serverMs: number, offset: ClockOffset) => serverMs - offset.offsetMs
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface ClockOffset {
  readonly offsetMs: number
  readonly source: "date" | "iat" | "previous" | "none"
}

/**
 * The resolution of both samples (HTTP dates and JWT times are whole seconds).
 *
 * @example
 * ```ts
 * import { sampleResolutionMs } from "@ipos/auth-core"
 * sampleResolutionMs // 1000
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const sampleResolutionMs = 1000

/**
 * The offset assumed before anything was learned.
 *
 * @example
 * ```ts
 * import { estimateOffset, noOffset } from "@ipos/auth-core"
 * estimateOffset({ requestedAt: 0, receivedAt: 0 }, noOffset) // { offsetMs: 0, source: "none" }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const noOffset: ClockOffset = { offsetMs: 0, source: "none" }

/**
 * Estimates the clock offset from one request (see the module comment for the rule).
 *
 * @example
 * ```ts
 * import { estimateOffset } from "@ipos/auth-core"
 * // the service's clock reads 10 minutes ahead of ours
 * estimateOffset({ requestedAt: 1_000_000, receivedAt: 1_000_000, serverDate: 1_600_000 })
 * // { offsetMs: 601_000, source: "date" }
 * // a token minted 12 hours ago, no Date header: not taken for a clock 12 hours behind
 * estimateOffset({ requestedAt: 50_000_000, receivedAt: 50_000_000, issuedAt: 6_800_000 })
 * // { offsetMs: 0, source: "none" }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const estimateOffset = (sample: ClockSample, previous: ClockOffset = noOffset): ClockOffset => {
  const bound = (value: number | undefined): number | undefined =>
    value === undefined || !Number.isFinite(value) ? undefined : value + sampleResolutionMs - sample.requestedAt
  const fromDate = bound(sample.serverDate)
  const fromIat = bound(sample.issuedAt)
  const kept: ClockOffset = previous.source === "none" ? noOffset : { offsetMs: previous.offsetMs, source: "previous" }
  if (fromDate !== undefined) {
    return fromIat !== undefined && fromIat > fromDate
      ? { offsetMs: fromIat, source: "iat" }
      : { offsetMs: fromDate, source: "date" }
  }
  if (fromIat === undefined) return kept
  // `iat` alone. The service ahead (offset > 0): trusted, tokens are refreshed earlier. The
  // service behind, or a stale token: never below what is already known (a Date-backed estimate),
  // and without one never below 0.
  if (fromIat > 0) return { offsetMs: fromIat, source: "iat" }
  return fromIat > kept.offsetMs ? { offsetMs: fromIat, source: "iat" } : kept
}

/**
 * Parses an HTTP `Date` header to epoch milliseconds.
 *
 * @example
 * ```ts
 * import { parseHttpDate } from "@ipos/auth-core"
 * parseHttpDate("Wed, 21 Oct 2015 07:28:00 GMT") // 1445412480000
 * parseHttpDate(null) // undefined
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const parseHttpDate = (value: string | null | undefined): number | undefined => {
  if (value === null || value === undefined || value.length === 0) return undefined
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? ms : undefined
}
