import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { TestClock } from "effect/testing"
import { monotonicMillis } from "../../src/internal/manager.js"

describe("monotonicMillis", () => {
  it.effect("reads a TestClock as it is", () =>
    Effect.gen(function* () {
      const clock = yield* Clock.Clock
      const mono = monotonicMillis(clock)
      expect(mono()).toBe(0)
      yield* TestClock.adjust(1234)
      expect(mono()).toBe(1234)
    })
  )

  it("reads the live clock through performance.now(), on the live clock's own scale", () => {
    const live = Context.get(Context.empty(), Clock.Clock)
    const mono = monotonicMillis(live)
    const readings = Array.from({ length: 5 }, () => {
      const before = Number(live.monotonicTimeNanosUnsafe()) / 1e6
      const fast = mono()
      const after = Number(live.monotonicTimeNanosUnsafe()) / 1e6
      return { before, fast, after }
    })
    for (const { before, fast, after } of readings) {
      // Between the two readings of the live clock, give or take the anchor's error (well under 1 ms).
      expect(fast).toBeGreaterThan(before - 1)
      expect(fast).toBeLessThan(after + 1)
    }
  })
})
