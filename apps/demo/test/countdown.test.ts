import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { countdown, type TokenTimes } from "../src/countdown.js"

const twentySeconds: TokenTimes = { issuedAt: 0, expiresAt: 20_000, refreshAt: 12_000, usableUntil: 19_000 }

describe("countdown", () => {
  it.each([
    ["at issue", 0, { remaining: 1, phase: "fresh", msLeft: 20_000 }],
    ["before the window", 5_000, { remaining: 0.75, phase: "fresh", msLeft: 15_000 }],
    ["at the window's start", 12_000, { remaining: 0.4, phase: "refresh-ahead", msLeft: 8_000 }],
    ["in the safety margin", 19_500, { remaining: 0.025, phase: "margin", msLeft: 500 }],
    ["at expiry", 20_000, { remaining: 0, phase: "expired", msLeft: 0 }],
    ["long after expiry", 90_000, { remaining: 0, phase: "expired", msLeft: 0 }]
  ] as const)("%s", (_, now, want) => {
    expect(countdown(twentySeconds, now)).toEqual({ ...want, windowStart: 0.6, windowEnd: 0.95 })
  })

  it("draws nothing for a token without a lifetime", () => {
    expect(countdown({ issuedAt: 5, expiresAt: 5, refreshAt: 5, usableUntil: 5 }, 5)).toEqual({
      remaining: 0,
      windowStart: 0,
      windowEnd: 0,
      phase: "expired",
      msLeft: 0
    })
  })

  it("keeps every fraction in [0, 1] with the window inside the bar, and only shrinks as time passes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: -1_000_000, max: 100_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (lifetime, a, b, now, later) => {
          const [start, end] = a <= b ? [a, b] : [b, a]
          const times = { issuedAt: 0, expiresAt: lifetime, refreshAt: start * lifetime, usableUntil: end * lifetime }
          const bar = countdown(times, now)
          for (const x of [bar.remaining, bar.windowStart, bar.windowEnd]) expect(x >= 0 && x <= 1).toBe(true)
          expect(bar.windowStart).toBeLessThanOrEqual(bar.windowEnd)
          expect(countdown(times, now + later).remaining).toBeLessThanOrEqual(bar.remaining)
        }
      )
    )
  })
})
