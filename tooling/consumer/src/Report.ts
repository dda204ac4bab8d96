/**
 * What the check reports: one progress line per step as it ends, and a summary that names every
 * step that failed (with the tail of its output) and decides the exit code.
 */
import type { Finished } from "./Run.js"

/** How a step ended: `skipped` when a step it needs failed. */
type Outcome = "passed" | "failed" | "skipped"

/**
 * One step's result. `detail` is a short note when it passed (a size, a count), the reason when it
 * failed, and what it waited for when skipped.
 *
 * @example
 * const result: StepResult = { name: "pack @ipos/auth-core", outcome: "passed", ms: 812, detail: "174.8 kB" }
 */
export interface StepResult {
  readonly name: string
  readonly outcome: Outcome
  readonly ms: number
  readonly detail: string
}

const marks: Readonly<Record<Outcome, string>> = { passed: "ok  ", failed: "FAIL", skipped: "skip" }

/**
 * A duration for people: milliseconds under a second, else seconds with one decimal.
 *
 * @example
 * formatMs(812.4) // "812 ms"
 * formatMs(48_210) // "48.2 s"
 */
export const formatMs = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

/**
 * A size for people, in kB (1000 bytes, as npm prints tarball sizes) or MB.
 *
 * @example
 * formatBytes(174_752) // "174.8 kB"
 * formatBytes(2_313_542) // "2.31 MB"
 */
export const formatBytes = (bytes: number): string =>
  bytes < 999_950 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1_000_000).toFixed(2)} MB`

/**
 * The last `lines` non-empty lines of a process's output, indented, for a failure's detail.
 *
 * @example
 * tail("a\n\nb\nc\n", 2) // "  b\n  c"
 */
export const tail = (text: string, lines = 25): string =>
  text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(-lines)
    .map((line) => `  ${line}`)
    .join("\n")

/**
 * Why a process counts as failed: its exit code (or that a signal ended it) and its output's tail.
 *
 * @example
 * failureOf({ code: 2, stdout: "", stderr: "bad flag\n", ms: 5 }) // "exit 2\n  bad flag"
 */
export const failureOf = (finished: Finished): string => {
  const output = tail(`${finished.stdout}\n${finished.stderr}`)
  return `${finished.code === null ? "ended by a signal or did not start" : `exit ${finished.code}`}${output === "" ? "" : `\n${output}`}`
}

/**
 * The progress line printed when a step ends (multi-line details of failures follow it).
 *
 * @example
 * progressLine({ name: "pack @ipos/auth-core", outcome: "passed", ms: 812, detail: "174.8 kB" })
 * // "[consumer] ok   pack @ipos/auth-core (812 ms): 174.8 kB"
 */
export const progressLine = (result: StepResult): string => {
  const timing = result.outcome === "skipped" ? "" : ` (${formatMs(result.ms)})`
  return `[consumer] ${marks[result.outcome]} ${result.name}${timing}${result.detail === "" ? "" : `: ${result.detail}`}`
}

/**
 * 1 when any step failed, else 0 (skipped steps follow a failure, which already counts).
 *
 * @example
 * exitCode([{ name: "install", outcome: "failed", ms: 1, detail: "exit 1" }]) // 1
 */
export const exitCode = (results: ReadonlyArray<StepResult>): 0 | 1 =>
  results.some((r) => r.outcome === "failed") ? 1 : 0

/**
 * The summary printed at the end: counts and total time, the notes (sizes, warnings seen), then
 * every failed step by name with its detail.
 *
 * @example
 * summary([{ name: "install", outcome: "passed", ms: 1500, detail: "" }], ["tarballs: a 1.0 kB"], 1500)
 * // "[consumer] 1 passed, 0 failed, 0 skipped in 1.5 s\n[consumer] tarballs: a 1.0 kB"
 */
export const summary = (results: ReadonlyArray<StepResult>, notes: ReadonlyArray<string>, totalMs: number): string => {
  const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length
  const failed = results.filter((r) => r.outcome === "failed")
  return [
    `[consumer] ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped in ${formatMs(totalMs)}`,
    ...notes.map((note) => `[consumer] ${note}`),
    ...(failed.length === 0
      ? []
      : [
          `[consumer] the packages do not work as installed from their tarballs; failed: ${failed.map((r) => r.name).join(", ")}`,
          ...failed.map((r) => `[consumer] ${r.name}: ${r.detail}`)
        ])
  ].join("\n")
}
