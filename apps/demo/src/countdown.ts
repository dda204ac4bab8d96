/**
 * The geometry of the countdown bar. The bar's axis runs from the token's issue (left) to its
 * expiry (right); the filled part is the time left and shrinks towards the right. Two bands are
 * drawn on it: the refresh-ahead window (from the jittered refresh start to the last moment the
 * token is handed out) and the safety margin after it. Fractions are in [0, 1].
 */

/** The times of a held token, epoch ms on the local clock. */
export interface TokenTimes {
  /** `expiresAt − lifetimeMs`. */
  readonly issuedAt: number
  readonly expiresAt: number
  /** When the background refresh starts. */
  readonly refreshAt: number
  /** The last moment the manager hands the token out. */
  readonly usableUntil: number
}

/** Where now stands in a token's life. */
type Phase = "fresh" | "refresh-ahead" | "margin" | "expired"

/** What the bar draws. */
export interface Countdown {
  readonly remaining: number
  readonly windowStart: number
  readonly windowEnd: number
  readonly phase: Phase
  readonly msLeft: number
}

const clamp = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)

/**
 * The bar at `now`.
 *
 * @example
 * ```ts
 * countdown({ issuedAt: 0, expiresAt: 20_000, refreshAt: 12_000, usableUntil: 19_000 }, 5_000)
 * // { remaining: 0.75, windowStart: 0.6, windowEnd: 0.95, phase: "fresh", msLeft: 15_000 }
 * ```
 */
export const countdown = (times: TokenTimes, now: number): Countdown => {
  const lifetime = times.expiresAt - times.issuedAt
  const at = (t: number) => (lifetime > 0 ? clamp((t - times.issuedAt) / lifetime) : 0)
  const phase: Phase =
    now < times.refreshAt
      ? "fresh"
      : now < times.usableUntil
        ? "refresh-ahead"
        : now < times.expiresAt
          ? "margin"
          : "expired"
  return {
    remaining: lifetime > 0 ? clamp((times.expiresAt - now) / lifetime) : 0,
    windowStart: at(times.refreshAt),
    windowEnd: at(times.usableUntil),
    phase,
    msLeft: Math.max(0, times.expiresAt - now)
  }
}
