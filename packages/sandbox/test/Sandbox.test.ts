import { connect } from "node:net"
import { freePort } from "@ipos/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { demoCredentials } from "../src/Credentials.js"
import { sandboxOptionsFromEnv } from "../src/Env.js"
import type { RequestLogEntry, SandboxOptions } from "../src/Options.js"
import { type Sandbox, startSandbox } from "../src/Sandbox.js"
import { SandboxConfigError } from "../src/SandboxConfigError.js"
import { authenticate, call, merchant, mint, refresh, withSandbox } from "./support.js"

describe("startSandbox", () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox()
  })
  afterAll(() => sandbox?.stop())

  it("listens on 127.0.0.1 on an ephemeral port by default, with the demo credentials and vendor error status", () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`)
    expect(sandbox.port).toBeGreaterThan(0)
    expect(sandbox.host).toBe("127.0.0.1")
    expect(sandbox.credentials).toEqual(demoCredentials)
    expect(sandbox.errorStatus).toBe(200)
    expect(sandbox.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/)
    expect(sandbox.jwks.keys).toHaveLength(1)
  })

  it("binds the port it is given, and refuses one that is taken", async () => {
    const port = await freePort()
    const fixed = await startSandbox({ port })
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`)
      await expect(startSandbox({ port })).rejects.toMatchObject({ code: "EADDRINUSE" })
    } finally {
      await fixed.stop()
    }
  })

  it.each<[string, SandboxOptions, string]>([
    ["a 5xx error status", { errorStatus: 500 }, "errorStatus must be 200 or an integer from 400 to 499 (got 500)"],
    ["a 3xx error status", { errorStatus: 302 }, "errorStatus must be 200 or an integer from 400 to 499 (got 302)"],
    ["a negative port", { port: -1 }, "port must be an integer from 0 to 65535 (got -1)"],
    ["a fractional port", { port: 80.5 }, "port must be an integer from 0 to 65535 (got 80.5)"],
    ["an empty host", { host: " " }, 'host must be a non-empty string (got " ")'],
    ["a zero lifetime", { tokenLifetimeSeconds: 0 }, "tokenLifetimeSeconds must be an integer from 1 to 86400 (got 0)"],
    ["a bad fault", { faults: { delayMs: -1 } }, "faults.delayMs must be an integer from 0 to 60000"],
    [
      "a bad CORS origin",
      { corsOrigin: "localhost" },
      'corsOrigin must be "*" or origins like http://localhost:5173 (got "localhost")'
    ],
    ["no credentials", { credentials: [] }, "credentials: at least one credential is required"],
    ["a tiny header limit", { maxHeaderBytes: 10 }, "maxHeaderBytes must be an integer from 1024 to 1048576 (got 10)"],
    ["a negative body limit", { maxBodyBytes: -1 }, "maxBodyBytes must be an integer from 0 to 67108864 (got -1)"],
    [
      "a non-boolean refreshExpired",
      { refreshExpired: "no" as unknown as boolean },
      'refreshExpired must be a boolean (got "no")'
    ]
  ])("refuses %s with a SandboxConfigError", async (_, options, message) => {
    await expect(startSandbox(options)).rejects.toThrow(new SandboxConfigError(message))
  })

  it("accepts only the credentials it is given", async () => {
    await withSandbox(
      {
        credentials: [{ level: "agentOffice", apiKey: "team-ao-key", secretKey: "team-ao-secret" }]
      },
      async (custom) => {
        expect(custom.credentials).toEqual([
          { level: "agentOffice", apiKey: "team-ao-key", secretKey: "team-ao-secret", scopes: ["ExternalApi"] }
        ])
        const headers = { apiKey: "team-ao-key", secretKey: "team-ao-secret", scope: "ExternalApi" }
        expect((await authenticate(custom.url, headers)).status).toBe(200)
        expect((await authenticate(custom.url, merchant)).body).toMatchObject({ errorCode: "AUTH_ERR_004" })
      }
    )
  })

  it("takes credentials from the environment through sandboxOptionsFromEnv", async () => {
    await withSandbox(
      sandboxOptionsFromEnv({
        IPOS_SANDBOX_MERCHANT_API_KEY: "env-key",
        IPOS_SANDBOX_MERCHANT_SECRET_KEY: "env-secret"
      }),
      async (fromEnv) => {
        const headers = { apiKey: "env-key", secretKey: "env-secret", scope: "Recurring" }
        expect((await authenticate(fromEnv.url, headers)).status).toBe(200)
        expect((await authenticate(fromEnv.url, merchant)).body).toMatchObject({ errorCode: "AUTH_ERR_004" })
      }
    )
  })

  it("reports each answered request to onRequest, without header values or tokens", async () => {
    const entries: Array<RequestLogEntry> = []
    await withSandbox({ onRequest: (entry) => entries.push(entry) }, async (logged) => {
      const token = await mint(logged.url)
      await authenticate(logged.url, { ...merchant, secretKey: "wrong" })
      await refresh(logged.url, { refreshToken: "true", token })
      logged.setFaults({ failNext: { reset: true } })
      await authenticate(logged.url).catch(() => undefined)
      await call(`${logged.url}/_sandbox/health?x=1`)
      expect(entries.map(({ durationMs: _, ...entry }) => entry)).toEqual([
        {
          method: "POST",
          path: "/v1/authenticate-token",
          endpoint: "/v1/authenticate-token",
          status: 200,
          errorCode: null,
          fault: null
        },
        {
          method: "POST",
          path: "/v1/authenticate-token",
          endpoint: "/v1/authenticate-token",
          status: 200,
          errorCode: "AUTH_ERR_004",
          fault: null
        },
        {
          method: "POST",
          path: "/v1/refresh-token",
          endpoint: "/v1/refresh-token",
          status: 200,
          errorCode: null,
          fault: null
        },
        {
          method: "POST",
          path: "/v1/authenticate-token",
          endpoint: "/v1/authenticate-token",
          status: null,
          errorCode: null,
          fault: "failNext"
        },
        { method: "GET", path: "/_sandbox/health", endpoint: "control", status: 200, errorCode: null, fault: null }
      ])
      const text = JSON.stringify(entries)
      for (const secret of [merchant.apiKey, merchant.secretKey, token]) expect(text).not.toContain(secret)
    })
  })

  it("keeps serving when onRequest throws", async () => {
    await withSandbox(
      {
        onRequest: () => {
          throw new Error("logger down")
        }
      },
      async (noisy) => {
        expect((await authenticate(noisy.url)).status).toBe(200)
        expect((await authenticate(noisy.url)).status).toBe(200)
      }
    )
  })

  it("stops with an idle keep-alive connection and a request in flight, closing both, and then refuses connections", async () => {
    const log: Array<RequestLogEntry> = []
    const stopping = await startSandbox({ onRequest: (entry) => log.push(entry) })
    const idle = connect(stopping.port, "127.0.0.1")
    const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()))
    const answered = new Promise<string>((resolve) => idle.once("data", (chunk: Buffer) => resolve(chunk.toString())))
    idle.write("GET /_sandbox/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
    expect((await answered).split("\r\n")[0]).toBe("HTTP/1.1 200 OK")
    const busy = connect(stopping.port, "127.0.0.1")
    const busyClosed = new Promise<void>((resolve) => busy.once("close", () => resolve()))
    busy.write("POST /api/busy HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nabc")
    await expect.poll(() => stopping.counters().requests["/api"]).toBe(1)

    const [first, second] = [stopping.stop(), stopping.stop()]
    expect(second).toBe(first)
    await Promise.all([first, idleClosed, busyClosed])
    expect([idle.destroyed, busy.destroyed]).toEqual([true, true])
    await expect.poll(() => log.length).toBe(2)
    expect(log.map(({ durationMs: _, ...entry }) => entry)).toEqual([
      { method: "GET", path: "/_sandbox/health", endpoint: "control", status: 200, errorCode: null, fault: null },
      { method: "POST", path: "/api/busy", endpoint: "/api", status: null, errorCode: null, fault: null }
    ])
    await expect(fetch(`${stopping.url}/_sandbox/health`)).rejects.toThrow(TypeError)
  })
})
