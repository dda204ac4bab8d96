/** Processes run to their end with output captured, or kept running after their first line. */
import { describe, expect, it } from "vitest"
import { run, start } from "../src/Run.js"

const node = (script: string) => ({ program: process.execPath, args: ["-e", script], cwd: "." })

describe("run", () => {
  it("captures the exit code, stdout and stderr", async () => {
    const finished = await run(node('console.log("out"); console.error("err"); process.exitCode = 3'))
    expect([finished.code, finished.stdout, finished.stderr]).toEqual([3, "out\n", "err\n"])
  })

  it("closes stdin, so a program reading it ends", async () => {
    const finished = await run(node('process.stdin.resume(); process.stdin.on("end", () => console.log("eof"))'))
    expect([finished.code, finished.stdout]).toEqual([0, "eof\n"])
  })

  it("finishes with code null when the program cannot start", async () => {
    const finished = await run({ program: "/nonexistent/program", args: [], cwd: "." })
    expect(finished.code).toBeNull()
    expect(finished.stderr).toContain("/nonexistent/program: spawn /nonexistent/program ENOENT")
  })

  it("kills a program that outlives its time", async () => {
    const finished = await run(node("setInterval(() => {}, 1000)"), 200)
    expect(finished.code).toBeNull()
    expect(finished.stderr).toBe("\n(killed after 0.2 s)")
  })

  it("gives the environment it is told, and only that", async () => {
    const finished = await run({ ...node("console.log(JSON.stringify(process.env.ONLY))"), env: { ONLY: "this" } })
    expect(finished.stdout).toBe('"this"\n')
  })
})

describe("start", () => {
  const server =
    'console.log("ready 1"); console.log("more"); process.stdin.resume(); process.stdin.on("end", () => console.log("stopped"))'

  it("resolves with the first line, and stop closes stdin and waits for the end", async () => {
    const running = await start(node(server))
    expect(running.firstLine).toBe("ready 1")
    const finished = await running.stop()
    expect([finished.code, finished.stdout]).toEqual([0, "ready 1\nmore\nstopped\n"])
  })

  it("rejects with the output when the program ends before a line", async () => {
    await expect(start(node('process.stderr.write("boom"); process.exitCode = 1'))).rejects.toThrow(
      "ended (exit 1) before printing a line\nboom"
    )
  })

  it("rejects when no line comes in time", async () => {
    await expect(start(node("setInterval(() => {}, 1000)"), 200)).rejects.toThrow("no output after 0.2 s")
  })
})
