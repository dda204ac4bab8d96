import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { TestClock } from "effect/testing"
import { defaultRetryPolicy, noRetry, type RetryPolicy, retryDelay, withRetry } from "../src/Retry.js"
import { RateLimited, Unavailable } from "../src/TransportError.js"
import { ValidationError } from "../src/ValidationError.js"

const unavailable = new Unavailable({ operation: "authenticate", status: 503, reason: "HTTP 503" })
const noJitter: RetryPolicy = { ...defaultRetryPolicy, jitter: 0 }

/** Runs a failing-then-succeeding attempt under the policy and records the attempt times. */
const attemptTimes = <E extends { readonly retryable: boolean }>(policy: RetryPolicy, failures: ReadonlyArray<E>) =>
  Effect.gen(function* () {
    const times: Array<number> = []
    const fiber = yield* withRetry(policy, (n) =>
      Effect.gen(function* () {
        times.push(yield* Clock.currentTimeMillis)
        const failure = failures[n - 1]
        return failure === undefined ? n : yield* Effect.fail(failure)
      })
    ).pipe(Effect.exit, Effect.forkChild)
    yield* TestClock.adjust("1 minute")
    return { times, exit: yield* Fiber.join(fiber) }
  })

describe("Retry", () => {
  it("computes exponential delays with a cap", () => {
    expect([1, 2, 3].map((n) => retryDelay(noJitter, n, { retryable: true }, 0, 0.5))).toEqual([250, 500, 1000])
    expect(retryDelay({ ...noJitter, maxAttempts: 10 }, 8, { retryable: true }, 0, 0.5)).toBe(5000)
    expect(retryDelay(noJitter, 4, { retryable: true }, 0, 0.5)).toBeUndefined()
  })

  it("jitters each delay within ±20%", () => {
    expect(retryDelay(defaultRetryPolicy, 1, { retryable: true }, 0, 0)).toBe(200)
    expect(retryDelay(defaultRetryPolicy, 1, { retryable: true }, 0, 0.999999)).toBe(300)
  })

  it("honours Retry-After, and gives up when it does not fit in the time left", () => {
    expect(retryDelay(noJitter, 1, { retryable: true, retryAfterMs: 3000 }, 0, 0.5)).toBe(3000)
    expect(retryDelay(noJitter, 1, { retryable: true, retryAfterMs: 60_000 }, 0, 0.5)).toBeUndefined()
    expect(retryDelay(noJitter, 2, { retryable: true }, 29_900, 0.5)).toBeUndefined()
  })

  it("does not retry with less than minAttemptMs (default 1 s) of the budget left", () => {
    expect(retryDelay(noJitter, 1, { retryable: true }, 28_750, 0.5)).toBe(250)
    expect(retryDelay(noJitter, 1, { retryable: true }, 28_751, 0.5)).toBeUndefined()
    expect(retryDelay({ ...noJitter, minAttemptMs: 0 }, 1, { retryable: true }, 29_750, 0.5)).toBe(250)
    expect(retryDelay({ ...noJitter, minAttemptMs: 0 }, 1, { retryable: true }, 29_751, 0.5)).toBeUndefined()
    expect(retryDelay(noJitter, 1, { retryable: true, retryAfterMs: 29_000 }, 0, 0.5)).toBe(29_000)
    expect(retryDelay(noJitter, 1, { retryable: true, retryAfterMs: 29_001 }, 0, 0.5)).toBeUndefined()
  })

  it.effect("tells each attempt how much of the budget is left", () =>
    Effect.gen(function* () {
      const budgets: Array<number> = []
      const fiber = yield* withRetry(noJitter, (n, budgetMs) =>
        Effect.gen(function* () {
          budgets.push(budgetMs)
          yield* Effect.sleep(n === 1 ? 4000 : 0)
          return n < 3 ? yield* Effect.fail(unavailable) : n
        })
      ).pipe(Effect.exit, Effect.forkChild)
      yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.join(fiber)).toEqual(Exit.succeed(3))
      // Attempts at 0, 4250 (after 4 s + 250 ms) and 4750.
      expect(budgets).toEqual([30_000, 25_750, 25_250])
    })
  )

  it.effect("retries retryable failures at 0, 250, 750 ms", () =>
    Effect.gen(function* () {
      const { times, exit } = yield* attemptTimes(noJitter, [unavailable, unavailable])
      expect(times).toEqual([0, 250, 750])
      expect(exit).toEqual(Exit.succeed(3))
    })
  )

  it.effect("returns the last failure after maxAttempts", () =>
    Effect.gen(function* () {
      const { times, exit } = yield* attemptTimes(noJitter, [unavailable, unavailable, unavailable, unavailable])
      expect(times).toEqual([0, 250, 750, 1750])
      expect(exit).toEqual(Exit.fail(unavailable))
    })
  )

  it.effect("does not retry a non-retryable failure", () =>
    Effect.gen(function* () {
      const invalid = new ValidationError({ field: "scope", reason: "x" })
      const { times, exit } = yield* attemptTimes(noJitter, [invalid])
      expect(times).toEqual([0])
      expect(exit).toEqual(Exit.fail(invalid))
    })
  )

  it.effect("waits what a 429 asks for", () =>
    Effect.gen(function* () {
      const limited = new RateLimited({ operation: "refresh", retryAfterMs: 3000 })
      const { times } = yield* attemptTimes(noJitter, [limited, unavailable])
      expect(times).toEqual([0, 3000, 3500])
    })
  )

  it.effect("never retries with noRetry", () =>
    Effect.gen(function* () {
      const { times } = yield* attemptTimes(noRetry, [unavailable])
      expect(times).toEqual([0])
    })
  )
})
