import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { backgroundRetryDelay, defaultRefreshPolicy, planRefresh } from "../src/RefreshWindow.js"

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
