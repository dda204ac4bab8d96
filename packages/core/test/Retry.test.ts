import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import {
  defaultRetryPolicy,
  noRetry,
  type RetryPolicy,
  retryDelay,
  validateRetryPolicy,
  withRetry
} from "../src/Retry.js"
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

describe("validateRetryPolicy", () => {
  it.each<[string, Partial<RetryPolicy>, string]>([
    [
      "attempts and budget without end",
      { maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY },
      "retry.maxAttempts must be a whole number from 1 to 100 (got Infinity)"
    ],
    [
      "a budget without end",
      { maxElapsedMs: Number.POSITIVE_INFINITY },
      "retry.maxElapsedMs must be a number greater than 0 and at most 86400000 (got Infinity)"
    ],
    ["no attempt at all", { maxAttempts: 0 }, "retry.maxAttempts must be a whole number from 1 to 100 (got 0)"],
    ["half an attempt", { maxAttempts: 2.5 }, "retry.maxAttempts must be a whole number from 1 to 100 (got 2.5)"],
    ["a negative delay", { initialDelayMs: -1 }, "retry.initialDelayMs must be a number from 0 to 86400000 (got -1)"],
    ["a shrinking factor", { factor: 0.5 }, "retry.factor must be a number from 1 to 10 (got 0.5)"],
    ["a jitter above 1", { jitter: 2 }, "retry.jitter must be a number from 0 to 1 (got 2)"],
    [
      "a NaN minAttemptMs",
      { minAttemptMs: Number.NaN },
      "retry.minAttemptMs must be a number from 0 to 86400000 (got NaN)"
    ],
    [
      "a string",
      { maxAttempts: "3" as unknown as number },
      "retry.maxAttempts must be a whole number from 1 to 100 (got a string)"
    ],
    [
      "an unknown key (a typo)",
      { maxAttempt: 3 } as unknown as Partial<RetryPolicy>,
      "retry has an option that is none of maxAttempts, initialDelayMs, factor, maxDelayMs, jitter, maxElapsedMs, minAttemptMs (name not shown)"
    ]
  ])("refuses %s", (_, input, reason) => {
    const result = validateRetryPolicy(input)
    expect(Result.isFailure(result) && result.failure).toEqual(new ValidationError({ field: "options", reason }))
  })

  it("completes overrides with the defaults; undefined means the default; no cap on one delay is accepted", () => {
    expect(validateRetryPolicy(undefined)).toEqual(Result.succeed(defaultRetryPolicy))
    expect(
      validateRetryPolicy({
        maxAttempts: 6,
        jitter: undefined,
        maxDelayMs: Number.POSITIVE_INFINITY
      } as unknown as Partial<RetryPolicy>)
    ).toEqual(Result.succeed({ ...defaultRetryPolicy, maxAttempts: 6, maxDelayMs: Number.POSITIVE_INFINITY }))
  })

  it("accepts only policies that end: at most maxAttempts attempts, delays within maxElapsedMs", () => {
    const anyNumber = fc.oneof(
      fc.double(),
      fc.integer({ min: -5, max: 200 }),
      fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN)
    )
    fc.assert(
      fc.property(
        fc.record(
          {
            maxAttempts: anyNumber,
            initialDelayMs: anyNumber,
            factor: anyNumber,
            maxDelayMs: anyNumber,
            jitter: anyNumber,
            maxElapsedMs: anyNumber,
            minAttemptMs: anyNumber
          },
          { requiredKeys: [] }
        ),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (input, u) => {
          const result = validateRetryPolicy(input)
          if (Result.isFailure(result)) return result.failure instanceof ValidationError
          const policy = result.success
          // Every retry the policy grants, with attempts taking no time at all: it stops.
          let elapsed = 0
          let attempt = 1
          for (;;) {
            const delay = retryDelay(policy, attempt, { retryable: true }, elapsed, u)
            if (delay === undefined) break
            elapsed += delay
            attempt += 1
          }
          return attempt <= policy.maxAttempts && elapsed <= policy.maxElapsedMs && Number.isFinite(elapsed)
        }
      ),
      { numRuns: 500 }
    )
  })
})
