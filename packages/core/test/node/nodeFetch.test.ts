import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { AuthApi, makeAuthApi } from "../../src/AuthApi.js"
import { authApiLayer, createNodeTokenManager, nodeFetch } from "../../src/node/index.js"
import { makeJwt } from "../support/FakeAuthServer.js"
import { redirectServers } from "../support/redirectServers.js"

interface Seen {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

let server: Server
let base: string
const seen: Array<Seen> = []
const sockets = new Set<import("node:net").Socket>()

const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
  seen.push({ method: req.method, url: req.url, headers: req.headers, body })
  if (req.url?.startsWith("/reset")) {
    req.socket.destroy()
    return
  }
  switch (req.url) {
    case "/json":
      res.writeHead(201, { "content-type": "application/json", "x-multi": ["a", "b"] })
      res.end(JSON.stringify({ ok: true, body }))
      return
    case "/empty":
      res.writeHead(204)
      res.end()
      return
    case "/redirect":
      res.writeHead(302, { location: "/json" })
      res.end()
      return
    case "/never":
      return
    case "/big":
      res.writeHead(200, { "content-type": "text/plain" })
      res.end("x".repeat(70_000))
      return
    case "/v1/authenticate-token": {
      const now = Date.now()
      const token = makeJwt({
        scope: "paymentTokenize",
        iat: Math.floor(now / 1000),
        exp: Math.floor(now / 1000) + 3600
      })
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ responseCode: "00", responseMessage: "Success", createdDt: String(now), token }))
      return
    }
    case "/v1/refresh-token":
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ errorCode: "AUTH_ERR_008", errorMessage: "Invalid Signature." }))
      return
    default:
      res.writeHead(404, { "content-type": "text/html" })
      res.end("<html>Not Found</html>")
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => {
      body += chunk
    })
    req.on("end", () => handle(req, res, body))
  })
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => server.close(resolve))
})

describe("nodeFetch", () => {
  it("sends method, headers and body, and answers with a standard Response", async () => {
    const res = await nodeFetch(`${base}/json`, {
      method: "POST",
      headers: { apiKey: "fake-key", "X-Custom": "1" },
      body: "hello"
    })
    expect(res).toBeInstanceOf(Response)
    expect(res.status).toBe(201)
    expect(res.ok).toBe(true)
    expect(res.headers.get("content-type")).toBe("application/json")
    expect(res.headers.get("x-multi")).toBe("a, b")
    expect(await res.json()).toEqual({ ok: true, body: "hello" })
    const last = seen.at(-1)
    expect(last).toMatchObject({ method: "POST", url: "/json", body: "hello" })
    expect(last?.headers).toMatchObject({ apikey: "fake-key", "x-custom": "1", "content-length": "5" })
  })

  it("accepts a Request, as openapi-fetch passes it, and sends Content-Length: 0 for an empty POST", async () => {
    const res = await nodeFetch(new Request(`${base}/json`, { method: "POST", headers: { scope: "Recurring" } }))
    expect(await res.json()).toEqual({ ok: true, body: "" })
    expect(seen.at(-1)?.headers).toMatchObject({ scope: "Recurring", "content-length": "0" })
    const withBody = await nodeFetch(new Request(`${base}/json`, { method: "PUT", body: "abc" }))
    expect(await withBody.json()).toEqual({ ok: true, body: "abc" })
  })

  it("gives a null body for 204 and does not follow redirects", async () => {
    const empty = await nodeFetch(`${base}/empty`)
    expect(empty.status).toBe(204)
    expect(empty.body).toBeNull()
    const redirect = await nodeFetch(`${base}/redirect`, { method: "POST" })
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get("location")).toBe("/json")
  })

  it("rejects a body over 64 KiB with ResponseBodyTooLarge", async () => {
    await expect(nodeFetch(`${base}/big`, { method: "POST" })).rejects.toMatchObject({
      _tag: "ResponseBodyTooLarge",
      status: 200,
      limitBytes: 65_536
    })
  })

  it("as the AuthApi's fetch: a redirect is a MalformedResponse and the other origin gets nothing", async () => {
    const servers = await redirectServers(307)
    try {
      const api = await Effect.runPromise(
        makeAuthApi({
          credentials: { apiKey: "node-fake-key", secretKey: "node-fake-secret" },
          baseUrl: servers.first,
          fetch: nodeFetch
        })
      )
      const error = await Effect.runPromise(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
      expect(error).toMatchObject({
        _tag: "MalformedResponse",
        status: 307,
        reason: "a redirect (HTTP 307), not followed"
      })
      expect(servers.secondSeen).toEqual([])
    } finally {
      await servers.close()
    }
  })

  it("aborts through the AbortSignal", async () => {
    const controller = new AbortController()
    const pending = nodeFetch(`${base}/never`, { method: "POST", signal: controller.signal })
    await new Promise((resolve) => setImmediate(resolve))
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: "AbortError" })
    const already = new AbortController()
    already.abort()
    await expect(nodeFetch(`${base}/json`, { signal: already.signal })).rejects.toMatchObject({ name: "AbortError" })
  })

  it("rejects with the system error code on a reset or a refused connection", async () => {
    await expect(nodeFetch(`${base}/reset`, { method: "POST" })).rejects.toMatchObject({ code: "ECONNRESET" })
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    await expect(nodeFetch(`http://127.0.0.1:${port}/`, { method: "POST" })).rejects.toMatchObject({
      code: "ECONNREFUSED"
    })
    await expect(nodeFetch("file:///etc/hostname")).rejects.toBeInstanceOf(TypeError)
  })

  it("drives the AuthApi end to end", async () => {
    const program = Effect.gen(function* () {
      const api = yield* AuthApi
      const issued = yield* api.authenticate({ scope: "PaymentTokenization", expiryMinutes: 60 })
      const refused = yield* Effect.flip(api.refresh(issued.token))
      return { issued, refused }
    }).pipe(
      Effect.provide(
        authApiLayer({ credentials: { apiKey: "node-fake-key", secretKey: "node-fake-secret" }, baseUrl: base })
      )
    )
    const { issued, refused } = await Effect.runPromise(program)
    expect(Redacted.value(issued.token).split(".")).toHaveLength(3)
    expect(issued.expirySource).toBe("exp")
    expect(refused._tag).toBe("InvalidSignature")
    const authRequest = seen.find((s) => s.url === "/v1/authenticate-token")
    expect(authRequest?.headers).toMatchObject({
      apikey: "node-fake-key",
      secretkey: "node-fake-secret",
      scope: "PaymentTokenization",
      jwttokenexpiryminutes: "60"
    })
  })

  it("classifies a reset as Unavailable through the AuthApi", async () => {
    const error = await Effect.runPromise(
      Effect.flip(
        AuthApi.use((api) => api.authenticate({ scope: "Recurring" })).pipe(
          Effect.provide(
            authApiLayer({
              credentials: { apiKey: "node-fake-key", secretKey: "node-fake-secret" },
              baseUrl: `${base}/reset`,
              retry: { maxAttempts: 1 }
            })
          )
        )
      )
    )
    expect(error).toMatchObject({ _tag: "Unavailable", reason: "ECONNRESET", kind: "unavailable" })
  })

  it("builds a Promise token manager over nodeFetch from the environment", async () => {
    const tokens = createNodeTokenManager({
      fromEnv: { IPOS_API_KEY: "node-env-key", IPOS_SECRET_KEY: "node-env-secret", IPOS_AUTH_URL: base }
    })
    const token = await tokens.getToken()
    expect(token.split(".")).toHaveLength(3)
    expect(await tokens.getToken()).toBe(token)
    await tokens.close()
  })
})
