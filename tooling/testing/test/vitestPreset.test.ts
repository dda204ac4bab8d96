/** The shared vitest preset: quiet about vitest's own tuning, and merges a package's overrides. */
import { describe, expect, it } from "vitest"
import { vitestConfig } from "../src/vitest.js"

describe("vitestConfig", () => {
  it("turns vitest's tuning hints off (nobody running npm test asked for them)", () => {
    expect(vitestConfig().test?.experimental).toEqual({ diagnostics: false })
  })

  it("keeps the preset's settings beside a package's overrides", () => {
    const config = vitestConfig({ test: { testTimeout: 120_000 } })
    expect([config.test?.testTimeout, config.test?.hookTimeout, config.test?.include]).toEqual([
      120_000,
      90_000,
      ["test/**/*.test.ts"]
    ])
  })
})
