import { describe, expect, it } from "vitest"
import { relativeTime } from "../src/RelativeTime.js"

describe("relativeTime", () => {
  it.each([
    [0, "now"],
    [0.4, "now"],
    [1, "in 1 second"],
    [-1, "1 second ago"],
    [59, "in 59 seconds"],
    [-90, "1 minute 30 seconds ago"],
    [3_600, "in 1 hour"],
    [3_660, "in 1 hour 1 minute"],
    [86_340, "in 23 hours 59 minutes"],
    [86_400, "in 1 day"],
    [-(3 * 86_400 + 7_200 + 5), "3 days 2 hours ago"],
    [86_400 + 30, "in 1 day"]
  ])("%s s → %s", (seconds, words) => {
    expect(relativeTime(seconds)).toBe(words)
  })
})
