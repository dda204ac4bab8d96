/** Steps are timed, recorded and printed as they end; a throw fails only its own step. */
import { describe, expect, it } from "vitest"
import { makeSteps, StepFailed } from "../src/Steps.js"

/** A clock that advances 250 ms at each reading. */
const ticking = () => {
  let t = 0
  return () => {
    t += 250
    return t
  }
}

describe("makeSteps", () => {
  it("records a passed step with its detail and time, prints it, and returns the detail", async () => {
    const printed: Array<string> = []
    const steps = makeSteps((line) => printed.push(line), ticking())
    expect(await steps.step("pack a", async () => "1.0 kB")).toBe("1.0 kB")
    expect(steps.results).toEqual([{ name: "pack a", outcome: "passed", ms: 250, detail: "1.0 kB" }])
    expect(printed).toEqual(["[consumer] ok   pack a (250 ms): 1.0 kB"])
  })

  it("records a StepFailed's message as the reason and goes on with the next step", async () => {
    const steps = makeSteps(() => {}, ticking())
    expect(
      await steps.step("a --version", async () => {
        throw new StepFailed("printed 0.0.9")
      })
    ).toBeUndefined()
    await steps.step("b", async () => "")
    expect(steps.results).toEqual([
      { name: "a --version", outcome: "failed", ms: 250, detail: "printed 0.0.9" },
      { name: "b", outcome: "passed", ms: 250, detail: "" }
    ])
  })

  it("keeps the stack of an unexpected error (a bug of the check, not of the packages)", async () => {
    const steps = makeSteps(() => {}, ticking())
    await steps.step("c", async () => {
      throw new TypeError("x is undefined")
    })
    expect(steps.results[0]?.detail).toMatch(/^TypeError: x is undefined\n\s+at /)
  })

  it("records a skipped step with what it waited for", () => {
    const printed: Array<string> = []
    const steps = makeSteps((line) => printed.push(line))
    steps.skip("install", "a package did not pack")
    expect(steps.results).toEqual([{ name: "install", outcome: "skipped", ms: 0, detail: "a package did not pack" }])
    expect(printed).toEqual(["[consumer] skip install: a package did not pack"])
  })
})
