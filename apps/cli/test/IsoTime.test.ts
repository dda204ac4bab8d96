import { describe, expect, it } from "vitest"
import { isoTime } from "../src/IsoTime.js"

// Times read from a server or a token: printed when Date can hold them, null otherwise, never a crash.
describe("isoTime", () => {
  it.each([
    [1_744_894_102_000, "2025-04-17T12:48:22.000Z"],
    [0, "1970-01-01T00:00:00.000Z"],
    [8.64e15, "+275760-09-13T00:00:00.000Z"],
    [8.64e15 + 1, null],
    [1_744_894_102_000_000_000, null],
    [-1e300, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [undefined, null]
  ])("isoTime(%s) is %j", (ms, want) => {
    expect(isoTime(ms)).toBe(want)
  })
})
