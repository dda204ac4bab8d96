import { connect } from "node:net"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { pathOf } from "../../src/internal/server.js"
import type { RequestLogEntry } from "../../src/Options.js"
import { type Sandbox, startSandbox } from "../../src/Sandbox.js"
import { call, merchant, mint, rawExchange, withSandbox } from "../support.js"

const statusLine = (raw: string) => raw.split("\r\n")[0]
const bodyOf = (raw: string) => raw.slice(raw.indexOf("\r\n\r\n") + 4)

describe("pathOf", () => {
  it.each([
    ["/v1/authenticate-token", "/v1/authenticate-token"],
    ["/api/x?token=secret", "/api/x"],
    ["http://127.0.0.1:9/api/x?y=1", "/api/x"],
    ["*", "*"],
    [undefined, "/"]
  ])("reads %j as %j", (target, want) => {
    expect(pathOf(target)).toBe(want)
  })
})

describe("the server on bad input", () => {
  const log: Array<RequestLogEntry> = []
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ maxBodyBytes: 1024, onRequest: (entry) => log.push(entry) })
  })
  afterAll(() => sandbox?.stop())

  it.each([
    ["GET", "/", 404, null],
    ["GET", "/v1/authenticate-token/", 404, null],
    ["POST", "/V1/AUTHENTICATE-TOKEN", 404, null],
    ["GET", "/v1/authenticate-token", 405, "POST"],
    ["PUT", "/v1/refresh-token", 405, "POST"],
    ["DELETE", "/v1/authenticate-token", 405, "POST"]
  ])("answers %s %s with a JSON %s", async (method, path, status, allow) => {
    const answer = await call(`${sandbox.url}${path}`, { method })
    expect([answer.status, answer.headers.get("allow"), answer.headers.get("content-type")]).toEqual([
      status,
      allow,
      "application/json"
    ])
    expect(answer.body).toEqual({ error: status === 404 ? "Not Found" : "Method Not Allowed" })
  })

  it("answers a body a little over the cap with 413 and keeps serving the connection's next requests", async () => {
    const answer = await call(`${sandbox.url}/v1/authenticate-token`, {
      method: "POST",
      headers: merchant,
      body: "x".repeat(64 * 1024)
    })
    expect([answer.status, answer.body]).toEqual([
      413,
      { error: "Payload Too Large", message: "request bodies are limited to 1024 bytes" }
    ])
    expect((await call(`${sandbox.url}/_sandbox/health`)).status).toBe(200)
  })

  it("answers a huge declared body with 413 without reading it, and closes the connection", async () => {
    const raw = await rawExchange(
      sandbox.port,
      "POST /v1/authenticate-token HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\nxxxx"
    )
    expect(statusLine(raw)).toBe("HTTP/1.1 413 Payload Too Large")
    expect(raw).toContain("\r\nConnection: close\r\n")
    expect(JSON.parse(bodyOf(raw))).toEqual({
      error: "Payload Too Large",
      message: "request bodies are limited to 1024 bytes"
    })
  })

  it("answers a chunked body that never stops with 413", async () => {
    const chunk = `2000\r\n${"y".repeat(0x2000)}\r\n`
    const raw = await rawExchange(
      sandbox.port,
      `POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(600)}`
    )
    expect(statusLine(raw)).toBe("HTTP/1.1 413 Payload Too Large")
  })

  it("answers oversized headers with a JSON 431", async () => {
    const raw = await rawExchange(
      sandbox.port,
      `POST /v1/authenticate-token HTTP/1.1\r\nHost: x\r\ntoken: ${"a".repeat(20_000)}\r\n\r\n`
    )
    expect(statusLine(raw)).toBe("HTTP/1.1 431 Request Header Fields Too Large")
    expect(JSON.parse(bodyOf(raw))).toEqual({ error: "Request Header Fields Too Large" })
  })

  it.each([
    ["a request line that is not HTTP", "HELLO\r\n\r\n"],
    ["a header without a colon", "GET / HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n"],
    ["binary noise", Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10])]
  ])("answers %s with a JSON 400", async (_, request) => {
    const raw = await rawExchange(sandbox.port, request)
    expect(statusLine(raw)).toBe("HTTP/1.1 400 Bad Request")
    expect(JSON.parse(bodyOf(raw))).toEqual({ error: "Bad Request" })
  })

  it("serves an absolute-form request target", async () => {
    const raw = await rawExchange(
      sandbox.port,
      `POST ${sandbox.url}/v1/authenticate-token HTTP/1.1\r\nHost: x\r\napiKey: ${merchant.apiKey}\r\nsecretKey: ${merchant.secretKey}\r\nscope: Recurring\r\nConnection: close\r\n\r\n`
    )
    expect(statusLine(raw)).toBe("HTTP/1.1 200 OK")
    expect(JSON.parse(bodyOf(raw))).toMatchObject({ responseCode: "00" })
  })

  it("survives a client that goes away mid-body", async () => {
    const before = sandbox.counters().requests["/api"]
    const socket = connect(sandbox.port, "127.0.0.1")
    socket.write("POST /api/gone HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nabc")
    await expect.poll(() => sandbox.counters().requests["/api"]).toBe(before + 1)
    socket.destroy()
    await expect
      .poll(() => log.filter((entry) => entry.path === "/api/gone").map(({ durationMs: _, ...entry }) => entry))
      .toEqual([{ method: "POST", path: "/api/gone", endpoint: "/api", status: null, errorCode: null, fault: null }])
    expect((await call(`${sandbox.url}/_sandbox/health`)).status).toBe(200)
  })

  it("answers any header values on every endpoint with a clean JSON answer", async () => {
    const token = await mint(sandbox.url)
    const headerValue = fc.oneof(
      fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
      fc.constantFrom(token, `${token}x`, "a.b.c", "...", "eyJ.eyJ.eyJ", "true", "", " ")
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/authenticate-token", "/v1/refresh-token", "/api/x"),
        fc.record({
          apiKey: headerValue,
          secretKey: headerValue,
          scope: headerValue,
          token: headerValue,
          refreshToken: headerValue,
          jwtTokenExpiryMinutes: headerValue
        }),
        async (path, headers) => {
          const answer = await call(`${sandbox.url}${path}`, { method: "POST", headers })
          expect([200, 401]).toContain(answer.status)
          expect(answer.headers.get("content-type")).toBe("application/json")
          expect(answer.body).toBeTypeOf("object")
        }
      ),
      { numRuns: 150 }
    )
    expect(sandbox.counters().statuses["500"]).toBeUndefined()
  })
})

describe("start-up limits", () => {
  it("honours maxHeaderBytes", async () => {
    await withSandbox({ maxHeaderBytes: 2048 }, async (sandbox) => {
      const raw = await rawExchange(sandbox.port, `GET /api HTTP/1.1\r\nHost: x\r\nx-pad: ${"p".repeat(3000)}\r\n\r\n`)
      expect(statusLine(raw)).toBe("HTTP/1.1 431 Request Header Fields Too Large")
    })
  })
})

describe("an unexpected failure inside a handler", () => {
  it("is answered with a JSON 500 that a page of the allowed origin can read, and the sandbox keeps serving", async () => {
    let broken = false
    await withSandbox(
      {
        corsOrigin: "http://localhost:5173",
        now: () => {
          if (broken) throw new Error("the clock broke")
          return Date.now()
        }
      },
      async (sandbox) => {
        broken = true
        const headers = { ...merchant, Origin: "http://localhost:5173" }
        const answer = await call(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers })
        expect(answer.status).toBe(500)
        expect(answer.body).toEqual({ error: "Internal Server Error" })
        expect(answer.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
        broken = false
        expect((await call(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers })).status).toBe(200)
      }
    )
  })
})
