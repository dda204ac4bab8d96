import { describe, expect, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as fc from "fast-check"
import {
  backgroundRetryDelay,
  defaultRefreshPolicy,
  planRefresh,
  type RefreshPolicy,
  validateRefreshPolicy
} from "../src/RefreshWindow.js"
import { ValidationError } from "../src/ValidationError.js"

const minute = 60_000

describe("RefreshWindow", () => {
  it.each([
    ["5 s", 5_000, 500, 2_500, [1_750, 3_000]],
    ["1 min", minute, 1_200, 10_000, [6_200, 11_200]],
    ["30 min", 30 * minute, 30_000, 270_000, [165_000, 300_000]],
    ["24 h", 1440 * minute, 30_000, 15 * minute, [480_000, 930_000]]
  ] as const)("scales to a %s token", (_, lifetime, margin, window, [latest, earliest]) => {
    const first = planRefresh(lifetime, defaultRefreshPolicy, 0)
    const last = planRefresh(lifetime, defaultRefreshPolicy, 0.999999999)
    expect(first.marginMs).toBe(margin)
    expect(first.windowMs).toBe(window)
    expect(first.refreshLeadMs).toBe(earliest)
    expect(last.refreshLeadMs).toBeCloseTo(latest, 0)
  })

  it("never plans past the token's life, and always leaves half the window (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 7 * 24 * 3600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (lifetime, u) => {
          const plan = planRefresh(lifetime, defaultRefreshPolicy, u)
          return (
            plan.marginMs > 0 &&
            plan.marginMs <= lifetime * 0.1 + 1e-9 &&
            plan.refreshLeadMs < lifetime &&
            plan.refreshLeadMs >= plan.marginMs + plan.windowMs / 2 - 1e-6 &&
            plan.refreshLeadMs <= plan.marginMs + plan.windowMs + 1e-6
          )
        }
      )
    )
  })

  it("disables jitter with jitter 0", () => {
    const policy = { ...defaultRefreshPolicy, jitter: 0 }
    expect(planRefresh(3600_000, policy, 0.7).refreshLeadMs).toBe(planRefresh(3600_000, policy, 0).refreshLeadMs)
  })

  it("backs off background retries but keeps several before expiry", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => backgroundRetryDelay(n, 3600_000))).toEqual([
      1000, 2000, 4000, 8000, 60_000, 60_000, 60_000
    ])
    expect(backgroundRetryDelay(5, 8000)).toBe(2000)
    expect(backgroundRetryDelay(1, -5)).toBe(0)
  })
})

describe("validateRefreshPolicy", () => {
  it.each<[string, Partial<RefreshPolicy>, string]>([
    [
      "a negative margin ratio",
      { marginRatio: -0.5 },
      "refreshPolicy.marginRatio must be a number from 0 and less than 1 (got -0.5)"
    ],
    [
      "a negative margin cap (a token handed out past its exp)",
      { maxMarginRatio: -0.1 },
      "refreshPolicy.maxMarginRatio must be a number from 0 and less than 1 (got -0.1)"
    ],
    [
      "a margin as long as the token",
      { maxMarginRatio: 1 },
      "refreshPolicy.maxMarginRatio must be a number from 0 and less than 1 (got 1)"
    ],
    [
      "a negative minimum margin",
      { minMarginMs: -1000 },
      "refreshPolicy.minMarginMs must be a number from 0 to 86400000 (got -1000)"
    ],
    [
      "a window ratio above 1",
      { windowRatio: 1.5 },
      "refreshPolicy.windowRatio must be a number from 0 to 1 (got 1.5)"
    ],
    [
      "an infinite minimum window",
      { minWindowMs: Number.POSITIVE_INFINITY },
      "refreshPolicy.minWindowMs must be a number from 0 to 86400000 (got Infinity)"
    ],
    ["a NaN jitter", { jitter: Number.NaN }, "refreshPolicy.jitter must be a number from 0 to 1 (got NaN)"]
  ])("refuses %s", (_, input, reason) => {
    const result = validateRefreshPolicy(input)
    expect(Result.isFailure(result) && result.failure).toEqual(new ValidationError({ field: "options", reason }))
  })

  it("completes overrides with the defaults; the caps may be Infinity", () => {
    expect(validateRefreshPolicy(undefined)).toEqual(Result.succeed(defaultRefreshPolicy))
    expect(validateRefreshPolicy({ jitter: 0, maxWindowMs: Number.POSITIVE_INFINITY })).toEqual(
      Result.succeed({ ...defaultRefreshPolicy, jitter: 0, maxWindowMs: Number.POSITIVE_INFINITY })
    )
  })

  it("accepts only policies under which no token is handed out at or past its expiry", () => {
    const anyNumber = fc.oneof(
      fc.double(),
      fc.double({ min: -1, max: 2, noNaN: true }),
      fc.integer({ min: -60_000, max: 120_000 }),
      fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN)
    )
    fc.assert(
      fc.property(
        fc.record(
          {
            windowRatio: anyNumber,
            minWindowMs: anyNumber,
            maxWindowMs: anyNumber,
            marginRatio: anyNumber,
            minMarginMs: anyNumber,
            maxMarginRatio: anyNumber,
            maxMarginMs: anyNumber,
            jitter: anyNumber
          },
          { requiredKeys: [] }
        ),
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (input, lifetime, u) => {
          const result = validateRefreshPolicy(input)
          if (Result.isFailure(result)) return result.failure instanceof ValidationError
          const plan = planRefresh(lifetime, result.success, u)
          // Handed out only while more than the margin is left: before expiry, and some of it at all.
          return (
            plan.marginMs >= 0 &&
            plan.marginMs < lifetime &&
            Number.isFinite(plan.refreshLeadMs) &&
            plan.refreshLeadMs >= plan.marginMs
          )
        }
      ),
      { numRuns: 1000 }
    )
  })
})
