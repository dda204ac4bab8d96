/**
 * Running the check's processes: one to completion with its output captured, or one that keeps
 * running (the consumer's sandbox program) until its first line of output.
 */
import { type ChildProcess, spawn } from "node:child_process"
import type { Command } from "./Commands.js"

/**
 * What a finished process left: its exit code (`null` when a signal ended it or it did not start),
 * its output and how long it ran.
 *
 * @example
 * const done: Finished = { code: 0, stdout: "ok\n", stderr: "", ms: 12 }
 */
export interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

const launch = (command: Command): ChildProcess =>
  spawn(command.program, [...command.args], {
    cwd: command.cwd,
    env: command.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"]
  })

/**
 * Runs `command` to its end (killed after `timeoutMs`), capturing stdout and stderr. Never rejects:
 * a program that cannot start finishes with code `null` and the reason on stderr.
 *
 * @example
 * const { code, stdout } = await run({ program: "node", args: ["--version"], cwd: "." })
 */
export const run = (command: Command, timeoutMs = 300_000): Promise<Finished> =>
  new Promise((resolve) => {
    const started = performance.now()
    const child = launch(command)
    child.stdin?.end()
    let stdout = ""
    let stderr = ""
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
    })
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs / 1000} s)`
      child.kill("SIGKILL")
    }, timeoutMs)
    const finish = (code: number | null, extra = "") => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr: stderr + extra, ms: performance.now() - started })
    }
    child.on("error", (error) => finish(null, `\n${command.program}: ${error.message}`))
    child.on("close", (code) => finish(code))
  })

/**
 * A process that keeps running after it printed its first line (a server saying where it listens).
 */
export interface Running {
  /** The first line of stdout, without the newline. */
  readonly firstLine: string
  /** Closes its stdin (the program's signal to stop) and waits for its end. */
  readonly stop: () => Promise<Finished>
}

/**
 * Starts `command` and waits (up to `timeoutMs`) for its first line of stdout; rejects with its
 * output when it ends or times out before that.
 *
 * @example
 * const server = await start({ program: "node", args: ["serve.mjs"], cwd: project })
 * const { url } = JSON.parse(server.firstLine)
 * await server.stop()
 */
export const start = (command: Command, timeoutMs = 60_000): Promise<Running> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = launch(command)
    let stdout = ""
    let stderr = ""
    let code: number | null | undefined
    const ended = new Promise<Finished>((end) => {
      child.on("error", (error) => {
        stderr += `\n${command.program}: ${error.message}`
        code = null
        end({ code, stdout, stderr, ms: performance.now() - started })
      })
      child.on("close", (exit) => {
        code = exit
        end({ code, stdout, stderr, ms: performance.now() - started })
      })
    })
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`no output after ${timeoutMs / 1000} s\n${stderr}`))
    }, timeoutMs)
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
    })
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      const newline = stdout.indexOf("\n")
      if (newline === -1) return
      clearTimeout(timer)
      resolve({
        firstLine: stdout.slice(0, newline),
        stop: () => {
          if (code === undefined) child.stdin?.end()
          return ended
        }
      })
    })
    void ended.then(({ code: exit }) => {
      clearTimeout(timer)
      reject(new Error(`ended (exit ${exit}) before printing a line\n${stdout}${stderr}`))
    })
  })
