import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { estimateOffset, noOffset, parseHttpDate, sampleResolutionMs } from "../src/ClockSkew.js"

const T = 1_749_532_846_000

describe("ClockSkew", () => {
  it.each([
    ["no sample", {}, { offsetMs: 0, source: "none" }],
    ["Date only, clocks agree", { serverDate: T }, { offsetMs: 1000, source: "date" }],
    ["iat only, service 10 min ahead", { issuedAt: T + 600_000 }, { offsetMs: 601_000, source: "iat" }],
    ["iat only, stale token (12 h old): not a clock 12 h behind", { issuedAt: T - 43_200_000 }, noOffset],
    ["iat only, service 90 s behind: clamped to 0", { issuedAt: T - 90_000 }, noOffset],
    ["both, stale token (old iat)", { serverDate: T, issuedAt: T - 86_400_000 }, { offsetMs: 1000, source: "date" }],
    ["both, gateway lags the auth server", { serverDate: T - 120_000, issuedAt: T }, { offsetMs: 1000, source: "iat" }]
  ] as const)("%s", (_, sample, expected) => {
    expect(estimateOffset({ requestedAt: T, receivedAt: T, ...sample })).toEqual(expected)
  })

  it("never lets an iat alone lower the estimate below a previous (Date-backed) one or 0", () => {
    const behind = { offsetMs: -300_000, source: "date" } as const
    // A fresh token consistent with a machine 5 min ahead: taken (it moves expiry earlier).
    expect(estimateOffset({ requestedAt: T, receivedAt: T, issuedAt: T - 240_000 }, behind)).toEqual({
      offsetMs: -239_000,
      source: "iat"
    })
    // A stale token: the previous estimate stands.
    expect(estimateOffset({ requestedAt: T, receivedAt: T, issuedAt: T - 43_200_000 }, behind)).toEqual({
      offsetMs: -300_000,
      source: "previous"
    })
    const ahead = { offsetMs: 600_000, source: "date" } as const
    expect(estimateOffset({ requestedAt: T, receivedAt: T, issuedAt: T - 43_200_000 }, ahead)).toEqual({
      offsetMs: 600_000,
      source: "previous"
    })
    // With a Date header the stale iat does not matter either way.
    expect(
      estimateOffset({ requestedAt: T, receivedAt: T, serverDate: T - 90_000, issuedAt: T - 43_200_000 }, ahead)
    ).toEqual({ offsetMs: -89_000, source: "date" })
  })

  it("keeps the previous estimate when there is nothing new", () => {
    expect(estimateOffset({ requestedAt: T, receivedAt: T }, { offsetMs: 5000, source: "date" })).toEqual({
      offsetMs: 5000,
      source: "previous"
    })
    expect(estimateOffset({ requestedAt: T, receivedAt: T }, noOffset)).toEqual(noOffset)
  })

  it("parses HTTP dates", () => {
    expect(parseHttpDate("Wed, 21 Oct 2015 07:28:00 GMT")).toBe(1445412480000)
    expect(parseHttpDate("not a date")).toBeUndefined()
    expect(parseHttpDate(null)).toBeUndefined()
    expect(parseHttpDate("")).toBeUndefined()
  })

  it("never places an expiry later than it really is (property)", () => {
    // True offset, request start, latency, and when within the request the service stamped its Date.
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (trueOffset, requestedAt, latency, at, withDate) => {
          const stampedLocal = requestedAt + Math.floor(latency * at)
          const serverStamp = stampedLocal + trueOffset
          const truncated = Math.floor(serverStamp / sampleResolutionMs) * sampleResolutionMs
          const estimate = estimateOffset({
            requestedAt,
            receivedAt: requestedAt + latency,
            ...(withDate ? { serverDate: truncated } : { issuedAt: truncated })
          })
          return estimate.offsetMs >= trueOffset
        }
      )
    )
  })

  it("never places an expiry later than exp on the local clock from an iat alone, however stale (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 0, max: 2 * 86_400_000 }),
        (trueOffset, requestedAt, latency, staleness) => {
          const minted = requestedAt + trueOffset - staleness
          const issuedAt = Math.floor(minted / sampleResolutionMs) * sampleResolutionMs
          const estimate = estimateOffset({ requestedAt, receivedAt: requestedAt + latency, issuedAt })
          // Never a negative offset (that would move expiry past exp on the local clock), and
          // still an upper bound of the true offset whenever the token is fresh.
          return estimate.offsetMs >= 0 && (staleness > 0 || estimate.offsetMs >= trueOffset)
        }
      )
    )
  })
})
