import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { estimateOffset, noOffset, parseHttpDate, sampleResolutionMs } from "../src/ClockSkew.js"

const T = 1_749_532_846_000

describe("ClockSkew", () => {
  it.each([
    ["no sample", {}, { offsetMs: 0, source: "none" }],
    ["Date only, clocks agree", { serverDate: T }, { offsetMs: 1000, source: "date" }],
    ["iat only, service 10 min ahead", { issuedAt: T + 600_000 }, { offsetMs: 601_000, source: "iat" }],
    ["both, stale token (old iat)", { serverDate: T, issuedAt: T - 86_400_000 }, { offsetMs: 1000, source: "date" }],
    ["both, gateway lags the auth server", { serverDate: T - 120_000, issuedAt: T }, { offsetMs: 1000, source: "iat" }]
  ] as const)("%s", (_, sample, expected) => {
    expect(estimateOffset({ requestedAt: T, receivedAt: T, ...sample })).toEqual(expected)
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
})
