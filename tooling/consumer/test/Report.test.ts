/** The progress lines, the summary and the exit code. */
import { describe, expect, it } from "vitest"
import {
  exitCode,
  failureOf,
  formatBytes,
  formatMs,
  progressLine,
  type StepResult,
  summary,
  tail
} from "../src/Report.js"

const passed: StepResult = { name: "pack @ipos/auth-core", outcome: "passed", ms: 812.4, detail: "174.8 kB" }
const failed: StepResult = { name: "ipos-auth --version", outcome: "failed", ms: 1520, detail: 'printed "0.0.9"' }
const skipped: StepResult = { name: "ipos-auth token", outcome: "skipped", ms: 0, detail: "the sandbox did not start" }

describe("formatMs and formatBytes", () => {
  it.each([
    [0, "0 ms"],
    [812.4, "812 ms"],
    [999.4, "999 ms"],
    [1000, "1.0 s"],
    [48_210, "48.2 s"]
  ])("%d ms is %s", (ms, want) => {
    expect(formatMs(ms)).toBe(want)
  })

  it.each([
    [5756, "5.8 kB"],
    [174_752, "174.8 kB"],
    [999_949, "999.9 kB"],
    [999_950, "1.00 MB"],
    [1_000_000, "1.00 MB"],
    [2_313_542, "2.31 MB"]
  ])("%d bytes is %s", (bytes, want) => {
    expect(formatBytes(bytes)).toBe(want)
  })
})

describe("tail and failureOf", () => {
  it("keeps the last non-empty lines, indented", () => {
    expect(tail("a\n\nb\n  \nc\n", 2)).toBe("  b\n  c")
  })

  it("says the exit code and shows stdout then stderr", () => {
    expect(failureOf({ code: 2, stdout: "out\n", stderr: "bad flag\n", ms: 5 })).toBe("exit 2\n  out\n  bad flag")
  })

  it("says when a signal ended the process, and shows no empty output", () => {
    expect(failureOf({ code: null, stdout: "", stderr: "", ms: 5 })).toBe("ended by a signal or did not start")
  })
})

describe("progressLine", () => {
  it.each([
    [passed, "[consumer] ok   pack @ipos/auth-core (812 ms): 174.8 kB"],
    [failed, '[consumer] FAIL ipos-auth --version (1.5 s): printed "0.0.9"'],
    [skipped, "[consumer] skip ipos-auth token: the sandbox did not start"],
    [{ ...passed, detail: "" }, "[consumer] ok   pack @ipos/auth-core (812 ms)"]
  ])("%#: %s", (result, want) => {
    expect(progressLine(result)).toBe(want)
  })
})

describe("summary and exitCode", () => {
  it("counts, notes, and exits 0 when nothing failed", () => {
    expect(summary([passed, passed], ["tarballs: a 1.0 kB"], 48_210)).toBe(
      "[consumer] 2 passed, 0 failed, 0 skipped in 48.2 s\n[consumer] tarballs: a 1.0 kB"
    )
    expect(exitCode([passed, passed])).toBe(0)
  })

  it("names every failed step with its reason, and exits 1", () => {
    const results = [passed, failed, skipped, { ...failed, name: "attw @ipos/auth-core", detail: "exit 1" }]
    expect(summary(results, [], 2000)).toBe(
      [
        "[consumer] 1 passed, 2 failed, 1 skipped in 2.0 s",
        "[consumer] the packages do not work as installed from their tarballs; failed: ipos-auth --version, attw @ipos/auth-core",
        '[consumer] ipos-auth --version: printed "0.0.9"',
        "[consumer] attw @ipos/auth-core: exit 1"
      ].join("\n")
    )
    expect(exitCode(results)).toBe(1)
  })

  it("does not fail on skipped steps alone", () => {
    expect(exitCode([skipped])).toBe(0)
  })
})
