/**
 * The retry policy of every API call: only `retryable` failures (timeouts, unavailable, 429) are
 * retried, with exponential backoff and jitter, a cap on attempts and on total time, and a 429's
 * `Retry-After` honoured (when it fits in the time left; otherwise the 429 is returned at once).
 *
 * The total time is a hard bound: each attempt is told how much of it is left (the API clamps its
 * per-attempt timeout to that), and no attempt starts with less than `minAttemptMs` left.
 *
 * Sleeps use Effect's `Clock` and randomness Effect's `Random`, so tests drive them with
 * `TestClock` and a seed.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Result from "effect/Result"
import { durationCapMs, durationMs, type NumberRule, resolvePolicy } from "./internal/options.js"
import type { ValidationError } from "./ValidationError.js"

/**
 * The knobs of the retry policy.
 *
 * @example
 * ```ts
 * import { AuthApi, type RetryPolicy } from "@ipos/auth-core"
 * const retry: Partial<RetryPolicy> = { maxAttempts: 6, maxElapsedMs: 60_000 }
 * AuthApi.layer({ retry })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** Attempts in total, the first included (default 4). */
  readonly maxAttempts: number
  /** Delay before the first retry (default 250 ms). */
  readonly initialDelayMs: number
  /** Growth of the delay per retry (default 2). */
  readonly factor: number
  /** Upper bound of one delay (default 5000 ms). */
  readonly maxDelayMs: number
  /** Each delay is multiplied by a uniform factor in [1 − jitter, 1 + jitter] (default 0.2). */
  readonly jitter: number
  /**
   * Total time budget since the first attempt started (default 30 000 ms): no attempt runs past
   * it (its timeout is clamped to what is left) and no retry starts after it.
   */
  readonly maxElapsedMs: number
  /**
   * No retry starts with less than this much of `maxElapsedMs` left (default 1000 ms): an attempt
   * that could only time out is not worth sending.
   */
  readonly minAttemptMs?: number | undefined
}

const defaultMinAttemptMs = 1000

/**
 * 4 attempts, 250 ms doubling up to 5 s, ±20% jitter, 30 s in total, no retry with less than 1 s
 * of it left.
 *
 * @example
 * ```ts
 * import { defaultRetryPolicy } from "@ipos/auth-core"
 * defaultRetryPolicy.maxAttempts // 4
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  initialDelayMs: 250,
  factor: 2,
  maxDelayMs: 5000,
  jitter: 0.2,
  maxElapsedMs: 30_000,
  minAttemptMs: 1000
}

type CompleteRetryPolicy = { readonly [K in keyof RetryPolicy]-?: number }

const retryRules: { readonly [K in keyof CompleteRetryPolicy]: NumberRule } = {
  maxAttempts: { min: 1, max: 100, integer: true },
  initialDelayMs: durationMs,
  factor: { min: 1, max: 10 },
  maxDelayMs: durationCapMs,
  jitter: { min: 0, max: 1 },
  maxElapsedMs: { ...durationMs, minExclusive: true },
  minAttemptMs: durationMs
}

/**
 * Checks retry overrides and completes them with the defaults: `maxAttempts` a whole number from 1
 * to 100, `factor` from 1 to 10, `jitter` from 0 to 1, durations finite from 0 to 24 h
 * (`maxElapsedMs` above 0; `maxDelayMs` may be `Infinity`: the budget bounds it), unknown keys
 * refused. A policy that passes always ends: at most
 * `maxAttempts` attempts within `maxElapsedMs`.
 *
 * @example
 * ```ts
 * import { Result } from "effect"
 * import { validateRetryPolicy } from "@ipos/auth-core"
 * Result.isFailure(validateRetryPolicy({ maxAttempts: Infinity, maxElapsedMs: Infinity })) // true
 * validateRetryPolicy({ maxAttempts: 6 }) // Success({ ...defaultRetryPolicy, maxAttempts: 6 })
 * ```
 *
 * @since 0.2.0
 * @category validation
 */
export const validateRetryPolicy = (
  input: Partial<RetryPolicy> | undefined
): Result.Result<RetryPolicy, ValidationError> =>
  resolvePolicy<CompleteRetryPolicy>(
    "retry",
    { ...defaultRetryPolicy, minAttemptMs: defaultMinAttemptMs },
    retryRules,
    input
  )

/**
 * A policy that never retries.
 *
 * @example
 * ```ts
 * import { AuthApi, noRetry } from "@ipos/auth-core"
 * AuthApi.layer({ retry: noRetry }) // one attempt: fail fast in a CLI
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const noRetry: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 1 }

/**
 * What the policy needs to know of a failure.
 *
 * @example
 * ```ts
 * import { retryDelay, defaultRetryPolicy, type RetryableFailure } from "@ipos/auth-core"
 * const failure: RetryableFailure = { retryable: true, retryAfterMs: 2000 }
 * retryDelay(defaultRetryPolicy, 1, failure, 0, 0.5) // 2000
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryableFailure {
  readonly retryable: boolean
  readonly retryAfterMs?: number | undefined
}

/**
 * The delay before retry number `attempt` (1 for the first retry) after `error`, or `undefined`
 * when the policy gives up: out of attempts, or the retry would start with less than
 * `minAttemptMs` of `maxElapsedMs` left. `elapsedMs` is the time since the first attempt started
 * and `u` in [0, 1) drives the jitter. Pure.
 *
 * @example
 * ```ts
 * import { defaultRetryPolicy, retryDelay } from "@ipos/auth-core"
 * retryDelay(defaultRetryPolicy, 1, { retryable: true }, 0, 0.5) // 250
 * retryDelay(defaultRetryPolicy, 1, { retryable: true, retryAfterMs: 3000 }, 0, 0.5) // 3000
 * retryDelay(defaultRetryPolicy, 1, { retryable: false }, 0, 0.5) // undefined
 * retryDelay(defaultRetryPolicy, 1, { retryable: true }, 28_800, 0.5) // undefined: 950 ms would be left
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const retryDelay = (
  policy: RetryPolicy,
  attempt: number,
  error: RetryableFailure,
  elapsedMs: number,
  u: number
): number | undefined => {
  if (!error.retryable || attempt >= policy.maxAttempts) return undefined
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1))
  const jittered = base * (1 + policy.jitter * (2 * u - 1))
  const delay = Math.max(0, Math.round(Math.max(jittered, error.retryAfterMs ?? 0)))
  const minAttemptMs = policy.minAttemptMs ?? defaultMinAttemptMs
  return elapsedMs + delay > policy.maxElapsedMs - minAttemptMs ? undefined : delay
}

/**
 * Runs `attempt(n, budgetMs)` (n = 1, 2, ...) until it succeeds or the policy gives up; the last
 * failure is returned. `budgetMs` is what is left of `maxElapsedMs` when the attempt starts: an
 * attempt must not run longer (clamp its timeout to it), so the whole call stays within the
 * budget. Defects and interruptions are not retried.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { defaultRetryPolicy, withRetry } from "@ipos/auth-core"
 * const call = withRetry(defaultRetryPolicy, (n, budgetMs) =>
 *   api.authenticateOnce(n).pipe(Effect.timeout(Math.min(10_000, budgetMs)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withRetry = <A, E extends RetryableFailure, R>(
  policy: RetryPolicy,
  attempt: (n: number, budgetMs: number) => Effect.Effect<A, E, R>,
  onRetry?: (error: E, n: number, delayMs: number) => Effect.Effect<void>
): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    for (let n = 1; ; n++) {
      const budgetMs = Math.max(0, policy.maxElapsedMs - ((yield* Clock.currentTimeMillis) - start))
      const result = yield* Effect.result(attempt(n, budgetMs))
      if (Result.isSuccess(result)) return result.success
      const error = result.failure
      const now = yield* Clock.currentTimeMillis
      const u = yield* Random.next
      const delay = retryDelay(policy, n, error, now - start, u)
      if (delay === undefined) return yield* Effect.fail(error)
      if (onRetry !== undefined) yield* onRetry(error, n, delay)
      yield* Effect.sleep(delay)
    }
  })
