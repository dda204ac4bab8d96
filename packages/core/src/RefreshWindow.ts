/**
 * When to refresh a token and until when to hand it out, scaled to the token's lifetime `L` so
 * that a 5-second token and a 24-hour token both behave:
 *
 * - **safety margin** `M = min(max(1 s, 2% L), 10% L, 30 s)`: a token is handed out only while
 *   more than `M` of it is left, so it is still valid when the caller's request lands;
 * - **refresh window** `W = min(max(15% L, min(10 s, 50% L)), 15 min)`: the stretch before
 *   `expiry − M` during which callers still get the current token at once while one background
 *   refresh runs;
 * - **jitter**: the refresh starts at `expiry − M − W·(1 − j·u)` with `u` uniform in [0, 1) and
 *   `j = 0.5`, i.e. somewhere in the first half of the window, so replicas holding tokens of the
 *   same lifetime do not all refresh in the same second, and at least half the window is left for
 *   retries.
 *
 * | lifetime | margin | window | refresh starts before expiry |
 * |---|---|---|---|
 * | 5 s | 0.5 s | 2.5 s | 1.75 – 3 s |
 * | 30 min | 30 s | 4.5 min | 2.75 – 5 min |
 * | 24 h | 30 s | 15 min | 8 – 15.5 min |
 *
 * @since 0.1.0
 */
import type * as Result from "effect/Result"
import { durationCapMs, durationMs, type NumberRule, resolvePolicy, share } from "./internal/options.js"
import type { ValidationError } from "./ValidationError.js"

/**
 * The knobs of the formulas above.
 *
 * @example
 * ```ts
 * import { TokenManager, type RefreshPolicy } from "@ipos/auth-core"
 * const policy: Partial<RefreshPolicy> = { maxWindowMs: 5 * 60_000, jitter: 0.3 }
 * TokenManager.layer({ refreshPolicy: policy })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshPolicy {
  /** Share of the lifetime that forms the refresh window (default 0.15). */
  readonly windowRatio: number
  /** Lower bound of the window, itself capped at half the lifetime (default 10 000 ms). */
  readonly minWindowMs: number
  /** Upper bound of the window (default 15 min). */
  readonly maxWindowMs: number
  /** Share of the lifetime kept as safety margin (default 0.02). */
  readonly marginRatio: number
  /** Lower bound of the margin (default 1000 ms), itself capped at `maxMarginRatio` of the lifetime. */
  readonly minMarginMs: number
  /** Upper bound of the margin as a share of the lifetime (default 0.1). */
  readonly maxMarginRatio: number
  /** Upper bound of the margin (default 30 000 ms). */
  readonly maxMarginMs: number
  /** Share of the window over which the refresh start is spread (default 0.5; 0 disables jitter). */
  readonly jitter: number
}

/**
 * The defaults documented in the module comment.
 *
 * @example
 * ```ts
 * import { defaultRefreshPolicy, planRefresh } from "@ipos/auth-core"
 * planRefresh(30 * 60_000, defaultRefreshPolicy, Math.random())
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultRefreshPolicy: RefreshPolicy = {
  windowRatio: 0.15,
  minWindowMs: 10_000,
  maxWindowMs: 15 * 60_000,
  marginRatio: 0.02,
  minMarginMs: 1000,
  maxMarginRatio: 0.1,
  maxMarginMs: 30_000,
  jitter: 0.5
}

// The margin's shares stay below 1: a margin as long as the token would make every token
// unusable on arrival. Negative values are refused: they would hand a token out past its `exp`.
const below1: NumberRule = { min: 0, max: 1, maxExclusive: true }
const refreshRules: { readonly [K in keyof RefreshPolicy]: NumberRule } = {
  windowRatio: share,
  minWindowMs: durationMs,
  maxWindowMs: durationCapMs,
  marginRatio: below1,
  minMarginMs: durationMs,
  maxMarginRatio: below1,
  maxMarginMs: durationCapMs,
  jitter: share
}

/**
 * Checks refresh-policy overrides and completes them with the defaults: every value a finite
 * number, ratios and jitter from 0 to 1 (the margin's ratios below 1), durations from 0 to 24 h
 * (`maxWindowMs` and `maxMarginMs` may also be `Infinity`: no cap beyond the ratios), unknown keys
 * refused. With a policy that passes, no token is handed out at or after its expiry:
 * the margin is never negative, and never the token's whole lifetime.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { validateRefreshPolicy } from "@ipos/auth-core"
 * Result.isFailure(validateRefreshPolicy({ marginRatio: -0.5 })) // true
 * validateRefreshPolicy({ jitter: 0 }) // Success({ ...defaultRefreshPolicy, jitter: 0 })
 * ```
 *
 * @since 0.2.0
 * @category validation
 */
export const validateRefreshPolicy = (
  input: Partial<RefreshPolicy> | undefined
): Result.Result<RefreshPolicy, ValidationError> =>
  resolvePolicy<RefreshPolicy>("refreshPolicy", defaultRefreshPolicy, refreshRules, input)

/**
 * Where a token's refresh starts and its hand-out stops, as durations before its expiry.
 *
 * @example
 * ```ts
 * import { defaultRefreshPolicy, planRefresh, type RefreshPlan } from "@ipos/auth-core"
 * const plan: RefreshPlan = planRefresh(5000, defaultRefreshPolicy, 0) // margin 500, window 2500
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshPlan {
  readonly lifetimeMs: number
  readonly marginMs: number
  readonly windowMs: number
  /** The refresh starts this long before expiry (margin + jittered window). */
  readonly refreshLeadMs: number
}

/**
 * Computes the plan for a token of the given lifetime; `u` in [0, 1) drives the jitter.
 *
 * @example
 * ```ts
 * import { defaultRefreshPolicy, planRefresh } from "@ipos/auth-core"
 * planRefresh(24 * 3600_000, defaultRefreshPolicy, 0)
 * // { lifetimeMs: 86400000, marginMs: 30000, windowMs: 900000, refreshLeadMs: 930000 }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const planRefresh = (lifetimeMs: number, policy: RefreshPolicy, u: number): RefreshPlan => {
  const L = Math.max(0, lifetimeMs)
  const marginMs = Math.min(
    Math.max(policy.minMarginMs, L * policy.marginRatio),
    L * policy.maxMarginRatio,
    policy.maxMarginMs
  )
  const windowMs = Math.min(Math.max(L * policy.windowRatio, Math.min(policy.minWindowMs, L * 0.5)), policy.maxWindowMs)
  const spread = Math.min(Math.max(policy.jitter, 0), 1) * Math.min(Math.max(u, 0), 1)
  return { lifetimeMs: L, marginMs, windowMs, refreshLeadMs: marginMs + windowMs * (1 - spread) }
}

/**
 * Delay before the next background refresh after `failures` consecutive failures: 1 s doubling up
 * to 60 s, but never more than a quarter of the time the current token has left, so several
 * attempts fit before it expires.
 *
 * @example
 * ```ts
 * import { backgroundRetryDelay } from "@ipos/auth-core"
 * backgroundRetryDelay(3, 600_000) // 4000
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const backgroundRetryDelay = (failures: number, remainingMs: number): number =>
  Math.max(0, Math.min(1000 * 2 ** Math.max(0, failures - 1), 60_000, remainingMs / 4))
