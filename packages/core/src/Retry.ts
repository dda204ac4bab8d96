/**
 * The retry policy of every API call: only `retryable` failures (timeouts, unavailable, 429) are
 * retried, with exponential backoff and jitter, a cap on attempts and on total time, and a 429's
 * `Retry-After` honoured (when it fits in the time left; otherwise the 429 is returned at once).
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
  /** No retry starts after this much time since the first attempt (default 30 000 ms). */
  readonly maxElapsedMs: number
}

/**
 * 4 attempts, 250 ms doubling up to 5 s, ±20% jitter, 30 s in total.
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
  maxElapsedMs: 30_000
}

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
 * when the policy gives up. `elapsedMs` is the time since the first attempt started and `u` in
 * [0, 1) drives the jitter. Pure.
 *
 * @example
 * ```ts
 * import { defaultRetryPolicy, retryDelay } from "@ipos/auth-core"
 * retryDelay(defaultRetryPolicy, 1, { retryable: true }, 0, 0.5) // 250
 * retryDelay(defaultRetryPolicy, 1, { retryable: true, retryAfterMs: 3000 }, 0, 0.5) // 3000
 * retryDelay(defaultRetryPolicy, 1, { retryable: false }, 0, 0.5) // undefined
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
  return elapsedMs + delay > policy.maxElapsedMs ? undefined : delay
}

/**
 * Runs `attempt(n)` (n = 1, 2, ...) until it succeeds or the policy gives up; the last failure is
 * returned. Defects and interruptions are not retried.
 *
 * @example
 * ```ts
 * import { defaultRetryPolicy, withRetry } from "@ipos/auth-core"
 * const call = withRetry(defaultRetryPolicy, (n) => api.authenticateOnce(n))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withRetry = <A, E extends RetryableFailure, R>(
  policy: RetryPolicy,
  attempt: (n: number) => Effect.Effect<A, E, R>,
  onRetry?: (error: E, n: number, delayMs: number) => Effect.Effect<void>
): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    for (let n = 1; ; n++) {
      const result = yield* Effect.result(attempt(n))
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
