import { describe, expect, it } from "vitest"
import { clockDuration, relativeTime } from "../src/relativeTime.js"

describe("relativeTime", () => {
  it.each([
    [10_000, 10_000, "just now"],
    [10_000, 10_400, "just now"],
    [1_000, 13_400, "12 s ago"],
    [0, 59_000, "59 s ago"],
    [0, 60_000, "1 min ago"],
    [0, 3_599_000, "59 min ago"],
    [0, 7_200_000, "2 h ago"],
    [20_000, 12_000, "in 8 s"],
    [200_000, 0, "in 3 min"]
  ])("%i seen at %i is %s", (at, now, want) => {
    expect(relativeTime(at, now)).toBe(want)
  })
})

describe("clockDuration", () => {
  it.each([
    [0, "0:00"],
    [999, "0:00"],
    [9_999, "0:09"],
    [65_400, "1:05"],
    [3_599_000, "59:59"],
    [3_725_000, "1:02:05"],
    [86_400_000, "24:00:00"],
    [-5, "0:00"]
  ])("%i ms is %s", (ms, want) => {
    expect(clockDuration(ms)).toBe(want)
  })
})
