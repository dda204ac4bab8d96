/**
 * The `ipos-auth-proxy` executable as users run it (the built bin): help, environment, the
 * `listening on` line, staying up with refused credentials (one stderr line per state change),
 * graceful stop on SIGTERM/SIGINT, and no token or key in any output.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
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
    for (const f of flags) expect(r.out()).toContain(`--${f.name} ${f.value}`.trimEnd())
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

  it("logs JSON with --log-format json: ISO time, level, event on every line; access lines without the query", async () => {
    const r = run(["--log-format", "json", "--access-log"], {
      IPOS_PROXY_UPSTREAM: upstream.url,
      IPOS_PROXY_LISTEN: "127.0.0.1:0",
      IPOS_AUTH_URL: sandbox.url,
      IPOS_API_KEY: demo.apiKey,
      IPOS_SECRET_KEY: demo.secretKey
    })
    const port = await portOf(r)
    await eventually(async () => (await send(port, { path: "/_ipos/ready" })).status === 200)
    expect((await send(port, { path: "/fast?card=4111111111111111" })).status).toBe(200)
    await eventually(() => r.err().includes('"event":"access"'))
    r.child.kill("SIGTERM")
    expect(await r.exited).toBe(0)
    const lines = r.err().trimEnd().split("\n")
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    for (const entry of entries) {
      expect(entry.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(["info", "warn", "error"]).toContain(entry.level)
      expect(typeof entry.event).toBe("string")
      expect(typeof entry.msg).toBe("string")
    }
    // The first token and listening race; then the one request, the drain and the stop.
    const events = entries.map((e) => e.event as string)
    expect([...events.slice(0, 2)].sort()).toEqual(["listening", "token_acquired"])
    expect(events.slice(2)).toEqual(["access", "draining", "stopped"])
    expect(entries[2]).toMatchObject({
      method: "GET",
      path: "/fast",
      status: 200,
      scope: "PaymentTokenization"
    })
    expect(typeof entries[2]?.upstreamMs).toBe("number")
    expect(r.err()).not.toContain("4111111111111111")
  })

  it("refuses an unknown --log-format and a key variable set with its _FILE twin (exit 2)", async () => {
    const format = run(["--upstream", upstream.url, "--log-format", "xml"], {})
    expect(await format.exited).toBe(2)
    expect(format.err()).toBe("ipos-auth-proxy: --log-format: expected text or json (see --help)\n")
    const both = run(["--upstream", upstream.url], {
      IPOS_SECRET_KEY: demo.secretKey,
      IPOS_SECRET_KEY_FILE: "/nonexistent",
      IPOS_API_KEY: demo.apiKey
    })
    expect(await both.exited).toBe(2)
    expect(both.err()).toBe("ipos-auth-proxy: IPOS_SECRET_KEY and IPOS_SECRET_KEY_FILE are both set (use one)\n")
  })

  it("re-reads the key files on SIGHUP and rotates to the new set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ipos-proxy-keys-"))
    const write = (apiKey: string, secretKey: string) => {
      writeFileSync(join(dir, "apiKey"), `${apiKey}\n`)
      writeFileSync(join(dir, "secretKey"), `${secretKey}\n`)
    }
    write(demo.apiKey, demo.secretKey)
    try {
      // A poll of a minute: the rotation below comes from the watch or from SIGHUP.
      const r = run(
        [
          "--upstream",
          upstream.url,
          "--listen",
          "127.0.0.1:0",
          "--auth-url",
          sandbox.url,
          "--credentials-poll",
          "60000"
        ],
        {
          IPOS_API_KEY_FILE: join(dir, "apiKey"),
          IPOS_SECRET_KEY_FILE: join(dir, "secretKey")
        }
      )
      const port = await portOf(r)
      await eventually(async () => (await send(port, { path: "/_ipos/ready" })).status === 200)
      write("demo-iso-api-key", "demo-iso-secret-key")
      r.child.kill("SIGHUP")
      await eventually(() => r.err().includes("credentials rotated: "))
      expect((await send(port, { path: "/fast" })).status).toBe(200)
      expect(r.err().match(/credentials rotated: /g)).toHaveLength(1)
      r.child.kill("SIGTERM")
      expect(await r.exited).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
