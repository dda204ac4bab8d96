import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeAuthApi } from "../../src/AuthApi.js"
import { nodeTransport } from "../../src/node/nodeTransport.js"
import { ResponseBodyTooLarge } from "../../src/Transport.js"
import { redirectServers } from "../support/redirectServers.js"

// nodeTransport against a scripted local server: what it sends, what it returns, and abort.
let server: Server
let base: string
let seen: { method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders } | undefined
beforeAll(async () => {
  server = createServer((req, res) => {
    seen = { method: req.method, url: req.url, headers: req.headers }
    if (req.url === "/slow") return // never answers
    res.writeHead(429, { "Retry-After": "7", Date: "Wed, 25 Nov 2026 20:00:00 GMT", "Content-Type": "text/html" })
    res.end("<html>busy</html>")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  base = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe("nodeTransport", () => {
  it("POSTs the headers with an empty body and returns status, text, Date and Retry-After", async () => {
    const answer = await nodeTransport({
      url: `${base}/v1/refresh-token`,
      headers: { refreshToken: "true", token: "a.b.c" },
      signal: new AbortController().signal
    })
    expect(answer).toEqual({
      status: 429,
      body: "<html>busy</html>",
      date: "Wed, 25 Nov 2026 20:00:00 GMT",
      retryAfter: "7"
    })
    expect(seen?.method).toBe("POST")
    expect(seen?.url).toBe("/v1/refresh-token")
    expect(seen?.headers).toMatchObject({ refreshtoken: "true", token: "a.b.c", "content-length": "0" })
  })

  it("gives up the request when the signal aborts", async () => {
    const controller = new AbortController()
    const pending = nodeTransport({ url: `${base}/slow`, headers: {}, signal: controller.signal })
    controller.abort(new Error("timed out"))
    await expect(pending).rejects.toThrow("timed out")
  })

  it("rejects when nothing listens", async () => {
    await expect(
      nodeTransport({ url: "http://127.0.0.1:9/", headers: {}, signal: new AbortController().signal })
    ).rejects.toMatchObject({ code: "ECONNREFUSED" })
  })

  it("AuthApi names the origin it tried when nothing listens (origin only: no path)", async () => {
    // A port that was just free: bind, read it, close.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve))
    const address = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    await new Promise((resolve) => probe.close(resolve))
    const api = await Effect.runPromise(
      makeAuthApi({
        credentials: { apiKey: "k-fake-1", secretKey: "s-fake-1" },
        baseUrl: `http://127.0.0.1:${port}/some/prefix`,
        transport: nodeTransport,
        retry: { maxAttempts: 1 }
      })
    )
    const error = await Effect.runPromise(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
    expect(error).toMatchObject({ _tag: "Unavailable", origin: `http://127.0.0.1:${port}`, attempts: 1 })
    expect(error.message).toBe(`iPOSpays authenticate unavailable: ECONNREFUSED (origin http://127.0.0.1:${port})`)
  })
})

describe("nodeTransport: bounded bodies, no redirects", () => {
  const big = async (declared: boolean) => {
    let closed: (finished: boolean) => void = () => {}
    const serverClosed = new Promise<boolean>((resolve) => {
      closed = resolve
    })
    const chunk = Buffer.alloc(16 * 1024, "x")
    const total = 8 * 1024 * 1024
    const bigServer = createServer((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        ...(declared ? { "content-length": String(total) } : {})
      })
      let written = 0
      res.on("close", () => closed(res.writableFinished))
      const pump = () => {
        while (written < total) {
          written += chunk.length
          if (!res.write(chunk)) {
            res.once("drain", pump)
            return
          }
        }
        res.end()
      }
      pump()
    })
    await new Promise<void>((resolve) => bigServer.listen(0, "127.0.0.1", resolve))
    const address = bigServer.address()
    const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
    return { url, serverClosed, stop: () => new Promise((resolve) => bigServer.close(resolve)) }
  }

  it.each([
    ["streamed without Content-Length", false],
    ["announced by Content-Length", true]
  ] as const)("aborts a body over 64 KiB (%s) and rejects with ResponseBodyTooLarge", async (_, declared) => {
    const server = await big(declared)
    try {
      const error = await nodeTransport({
        url: `${server.url}/v1/authenticate-token`,
        headers: {},
        signal: new AbortController().signal
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ResponseBodyTooLarge)
      expect(error).toMatchObject({ _tag: "ResponseBodyTooLarge", status: 200, limitBytes: 65_536 })
      // The server saw the connection go away before it could finish its 8 MiB.
      expect(await server.serverClosed).toBe(false)
    } finally {
      await server.stop()
    }
  })

  it("AuthApi classifies it as a non-retried MalformedResponse", async () => {
    const server = await big(false)
    try {
      const api = await Effect.runPromise(
        makeAuthApi({
          credentials: { apiKey: "k-fake-1", secretKey: "s-fake-1" },
          baseUrl: server.url,
          transport: nodeTransport
        })
      )
      const error = await Effect.runPromise(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
      expect(error).toMatchObject({
        _tag: "MalformedResponse",
        status: 200,
        reason: "a body larger than 64 KiB",
        kind: "malformed",
        retryable: false
      })
    } finally {
      await server.stop()
    }
  })

  it.each([307, 301])("returns a %s as it is; AuthApi refuses it: nothing reaches the other origin", async (status) => {
    const servers = await redirectServers(status)
    try {
      const answer = await nodeTransport({
        url: `${servers.first}/v1/authenticate-token`,
        headers: { apiKey: "k-fake-1" },
        signal: new AbortController().signal
      })
      expect(answer.status).toBe(status)
      const api = await Effect.runPromise(
        makeAuthApi({
          credentials: { apiKey: "k-fake-1", secretKey: "s-fake-1" },
          baseUrl: servers.first,
          transport: nodeTransport
        })
      )
      const error = await Effect.runPromise(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
      expect(error).toMatchObject({
        _tag: "MalformedResponse",
        status,
        reason: `a redirect (HTTP ${status}), not followed`,
        retryable: false
      })
      expect(servers.firstSeen).toHaveLength(2)
      expect(servers.secondSeen).toEqual([])
    } finally {
      await servers.close()
    }
  })
})
