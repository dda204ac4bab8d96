/**
 * The check's steps: each runs, is timed, and its result is recorded and printed as it ends. A
 * step fails by throwing (a `StepFailed` carries the reason as it should be read); a step whose
 * prerequisite failed is recorded as skipped, so the summary says what was not checked.
 */
import { progressLine, type StepResult } from "./Report.js"

/**
 * A step's failure, with the reason as the summary prints it.
 *
 * @example
 * throw new StepFailed("ipos-auth --version printed 0.0.9, the package is 0.1.0")
 */
export class StepFailed extends Error {}

/**
 * Steps that print through `print` and collect their results.
 *
 * @example
 * const steps = makeSteps(console.log)
 * const size = await steps.step("pack core", async () => "174.8 kB") // "174.8 kB"
 * steps.skip("install", "pack failed")
 * steps.results // [{ name: "pack core", outcome: "passed", … }, { name: "install", outcome: "skipped", … }]
 */
export const makeSteps = (print: (line: string) => void, now: () => number = () => performance.now()) => {
  const results: Array<StepResult> = []
  const record = (result: StepResult) => {
    results.push(result)
    print(progressLine(result))
  }
  return {
    results: results as ReadonlyArray<StepResult>,
    /**
     * Runs `body`; its string is the passed step's detail. Resolves to that string, or `undefined`
     * when the step failed.
     */
    step: async (name: string, body: () => Promise<string>): Promise<string | undefined> => {
      const started = now()
      try {
        const detail = await body()
        record({ name, outcome: "passed", ms: now() - started, detail })
        return detail
      } catch (error) {
        const detail =
          error instanceof StepFailed
            ? error.message
            : error instanceof Error
              ? (error.stack ?? error.message)
              : String(error)
        record({ name, outcome: "failed", ms: now() - started, detail })
        return undefined
      }
    },
    skip: (name: string, because: string): void => record({ name, outcome: "skipped", ms: 0, detail: because })
  }
}
