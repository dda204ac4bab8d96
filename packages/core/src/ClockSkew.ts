/**
 * Clock-offset learning: how far the service's clock is from this machine's, estimated at the
 * moment a token arrives from the response `Date` header and the token's `iat`.
 *
 * Both are whole seconds and were produced somewhere between the request's start and its answer,
 * so each gives an upper bound of the offset, `sample + 1000 − requestedAt` (server minus local,
 * in ms). The larger bound wins: it makes every token expire earlier on the local clock, never
 * later. That covers a machine whose clock is minutes off, a stale token (old `iat`: the `Date`
 * bound wins) and a gateway whose clock lags the auth server (`iat` wins). With neither sample the
 * previous estimate is kept.
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
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const estimateOffset = (sample: ClockSample, previous: ClockOffset = noOffset): ClockOffset => {
  let best: ClockOffset | undefined
  const consider = (value: number | undefined, source: "date" | "iat") => {
    if (value === undefined || !Number.isFinite(value)) return
    const offsetMs = value + sampleResolutionMs - sample.requestedAt
    if (best === undefined || offsetMs > best.offsetMs) best = { offsetMs, source }
  }
  consider(sample.serverDate, "date")
  consider(sample.issuedAt, "iat")
  if (best !== undefined) return best
  return previous.source === "none" ? noOffset : { offsetMs: previous.offsetMs, source: "previous" }
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
