/**
 * The `ipos-auth-proxy` executable as users run it (the built bin): help, environment, the
 * `listening on` line, staying up with refused credentials (one stderr line per state change),
 * graceful stop on SIGTERM/SIGINT, and no token or key in any output.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { flags } from "../src/Config.js"
import { demo, eventually, send, startUpstream, type TestUpstream, valuesOf } from "./support/harness.js"

const bin = fileURLToPath(new URL("../bin/ipos-auth-proxy.js", import.meta.url))

interface Run {
  readonly child: ChildProcess
  readonly out: () => string
  readonly err: () => string
  readonly exited: Promise<number | null>
}

const runs: Array<Run> = []
const run = (args: ReadonlyArray<string>, env: Record<string, string>): Run => {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString()
  })
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const handle = { child, out: () => out, err: () => err, exited }
  runs.push(handle)
  return handle
}
const portOf = async (r: Run): Promise<number> => {
  await eventually(() => /listening on http:\/\/127\.0\.0\.1:\d+\n/.test(r.out()))
  return Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(r.out())![1])
}

let sandbox: Sandbox
let upstream: TestUpstream
const tokens = new Set<string>()

beforeAll(async () => {
  sandbox = await startSandbox()
  upstream = await startUpstream((req, res) => {
    for (const t of valuesOf(req.rawHeaders, "token")) tokens.add(t)
    const delay = req.url === "/slow" ? 1500 : 0
    setTimeout(() => res.end(`done ${req.url}`), delay)
  })
})
afterAll(async () => {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill("SIGKILL")
  await upstream.close()
  await sandbox.stop()
  // Nothing any run printed holds a token, the API key or the secret key.
  for (const r of runs) {
    const all = r.out() + r.err()
    expect(all).not.toContain(demo.apiKey)
    expect(all).not.toContain(demo.secretKey)
    expect(all).not.toContain("wrong-secret")
    for (const t of tokens) expect(all).not.toContain(t)
  }
})

describe("ipos-auth-proxy", () => {
  it("documents every flag in --help", async () => {
    const r = run(["--help"], {})
    expect(await r.exited).toBe(0)
    for (const f of flags) expect(r.out()).toContain(`--${f.name} ${f.value}`)
    for (const path of ["/_ipos/health", "/_ipos/ready", "/_ipos/token", "/_ipos/refresh", "/_ipos/metrics"])
      expect(r.out()).toContain(path)
  })

  it("exits 2 without an upstream, and with invalid token settings", async () => {
    const none = run([], {})
    expect(await none.exited).toBe(2)
    expect(none.err()).toContain("--upstream (or IPOS_PROXY_UPSTREAM) is required")
    const badScope = run(["--upstream", upstream.url, "--scope", "Nope"], {
      IPOS_API_KEY: demo.apiKey,
      IPOS_SECRET_KEY: demo.secretKey
    })
    expect(await badScope.exited).toBe(2)
    expect(badScope.err()).toContain("scope")
  })

  it("reads IPOS_PROXY_* and IPOS_*, prints its address, forwards, and drains on SIGTERM then exits 0", async () => {
    const r = run([], {
      IPOS_PROXY_UPSTREAM: upstream.url,
      IPOS_PROXY_LISTEN: "127.0.0.1:0",
      IPOS_AUTH_URL: sandbox.url,
      IPOS_API_KEY: demo.apiKey,
      IPOS_SECRET_KEY: demo.secretKey
    })
    const port = await portOf(r)
    await eventually(async () => (await send(port, { path: "/_ipos/ready" })).status === 200)
    expect((await send(port, { path: "/fast" })).text).toBe("done /fast")
    const inFlight = send(port, { path: "/slow" })
    await eventually(() => upstream.seen.some((s) => s.url === "/slow"))
    r.child.kill("SIGTERM")
    const answer = await inFlight
    expect(answer.status).toBe(200)
    expect(answer.text).toBe("done /slow")
    expect(await r.exited).toBe(0)
    expect(r.err()).toContain("SIGTERM: draining")
  })

  it("stops on SIGINT with exit 0 too", async () => {
    const r = run(["--upstream", upstream.url, "--listen", "127.0.0.1:0", "--auth-url", sandbox.url], {
      IPOS_API_KEY: demo.apiKey,
      IPOS_SECRET_KEY: demo.secretKey
    })
    await portOf(r)
    r.child.kill("SIGINT")
    expect(await r.exited).toBe(0)
  })

  it("stays up with refused credentials: health 200, ready 503, one stderr line for the state", async () => {
    const r = run(["--upstream", upstream.url, "--listen", "127.0.0.1:0", "--auth-url", sandbox.url], {
      IPOS_API_KEY: "wrong-api-key",
      IPOS_SECRET_KEY: "wrong-secret-key"
    })
    const port = await portOf(r)
    await eventually(() => r.err().includes("token unavailable"))
    // The backoff retries at 1 s, then 2 s: wait past two of them.
    await new Promise((resolve) => setTimeout(resolve, 3500))
    expect((await send(port, { path: "/_ipos/health" })).status).toBe(200)
    expect((await send(port, { path: "/_ipos/ready" })).status).toBe(503)
    const answer = await send(port, { path: "/v1/x" })
    expect(answer.status).toBe(502)
    expect(answer.json()).toMatchObject({ class: "rejected", code: "AUTH_ERR_004" })
    expect(r.err().match(/token unavailable/g)).toHaveLength(1)
    expect(r.err()).toContain("AUTH_ERR_004")
    expect(r.child.exitCode).toBe(null)
    r.child.kill("SIGTERM")
    expect(await r.exited).toBe(0)
  })
})
