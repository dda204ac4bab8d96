import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { nodeTransport } from "../../src/node/nodeTransport.js"

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
})
