/**
 * Runs Stoplight Prism for a test run: `prism mock` on the spec, or `prism proxy` validating a
 * real server against it. Binds 127.0.0.1 on a free port, resolves once Prism answers HTTP, and
 * is always stopped: by `stop()`, and by exit and signal hooks if a test run dies first.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { request } from "node:http"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "./freePort.js"

/** Absolute path of the contract, `spec/openapi.yaml`. */
export const specPath = join(dirname(fileURLToPath(import.meta.url)), "../../../spec/openapi.yaml")

/** What to run: a mock of the spec, or a validation proxy in front of `upstream`. */
export type PrismMode =
  | { readonly mode: "mock"; readonly dynamic?: boolean }
  | { readonly mode: "proxy"; readonly upstream: string; readonly errors?: boolean }

/** A running Prism. */
export interface Prism {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Everything Prism printed so far; attached to start-up failures. */
  readonly output: () => string
  /** Stops Prism and waits for it to exit. Safe to call twice. */
  readonly stop: () => Promise<void>
}

const require = createRequire(import.meta.url)
const prismBin = join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist/index.js")
const running = new Set<ChildProcess>()
const killAll = () => {
  for (const child of running) child.kill("SIGKILL")
}
process.once("exit", killAll)
// A test run stopped by a signal must not leave Prism behind: kill it, then let the signal act.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll()
    process.kill(process.pid, signal)
  })
}

/** Resolves once an HTTP request to `url` gets any answer (Prism logs "listening" a little early). */
const answers = async (url: string, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request(url, { method: "GET", timeout: 1000 }, (res) => {
        res.resume()
        resolve(true)
      })
      req.on("error", () => resolve(false))
      req.on("timeout", () => req.destroy())
      req.end()
    })
    if (ok) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

const launch = (args: ReadonlyArray<string>, port: number, timeoutMs: number): Promise<Prism> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismBin, ...args, "-h", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }
    })
    running.add(child)
    let output = ""
    let settled = false
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000)
      await exited
      clearTimeout(timer)
      running.delete(child)
    }
    const fail = (why: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void stop().then(() => reject(new Error(`${why}\n--- prism output ---\n${output}`)))
    }
    const timer = setTimeout(() => fail(`prism did not listen within ${timeoutMs} ms`), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (!settled && output.includes(`Prism is listening on http://127.0.0.1:${port}`)) {
        settled = true
        clearTimeout(timer)
        const url = `http://127.0.0.1:${port}`
        void answers(url, timeoutMs).then((ok) => {
          if (ok) resolve({ url, output: () => output, stop })
          else void stop().then(() => reject(new Error(`prism listened but did not answer\n${output}`)))
        })
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", onData)
    child.once("exit", (code, signal) => fail(`prism exited early (code ${code}, signal ${signal})`))
  })

/**
 * Starts Prism on a free loopback port and resolves when it is listening.
 *
 * @example
 * ```ts
 * const prism = await startPrism({ mode: "mock" })
 * afterAll(() => prism.stop())
 * await fetch(`${prism.url}/v1/authenticate-token`, { method: "POST", headers: { Prefer: "example=AUTH_ERR_004" } })
 * ```
 */
export const startPrism = async (
  options: PrismMode,
  { spec = specPath, timeoutMs = 60_000 }: { spec?: string; timeoutMs?: number } = {}
): Promise<Prism> => {
  const args =
    options.mode === "mock"
      ? ["mock", spec, ...(options.dynamic ? ["--dynamic"] : [])]
      : ["proxy", spec, options.upstream, ...(options.errors === false ? [] : ["--errors"])]
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(args, await freePort(), timeoutMs)
    } catch (error) {
      lastError = error
      // Only a lost race for the port is worth another try.
      if (!String(error).includes("EADDRINUSE")) break
    }
  }
  throw lastError
}
