/**
 * The sidecar against the real sandbox (as the auth service, and its `/api` echo, which checks the
 * token, as an upstream) and test upstreams: one destination, the token header, hop-by-hop
 * headers, streaming, aborts, 401 replays, failing closed, timeouts and limits.
 */
import { createHash, randomBytes } from "node:crypto"
import * as http from "node:http"
import * as net from "node:net"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { freePort } from "@ipos/testing"
import * as Result from "effect/Result"
import type { buildConnector } from "undici"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { rejectAnswer } from "../src/Answers.js"
import { startProxy } from "../src/Proxy.js"
import { refusedGraceMs } from "../src/TokenSource.js"
import {
  configFor,
  control,
  demo,
  eventually,
  logged,
  rawExchange,
  sameTokenManager,
  sample,
  send,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type TestUpstream,
  valuesOf
} from "./support/harness.js"

let sandbox: Sandbox
const cleanups: Array<() => Promise<void>> = []
const tokensSeen = new Set<string>()

const proxyTo = async (upstream: string, args: ReadonlyArray<string> = [], credentials = demo) => {
  const proxy = await startTestProxy(upstream, sandbox.url, args, credentials)
  cleanups.push(() => proxy.stop())
  return proxy
}
const upstreamWith = async (handler?: Parameters<typeof startUpstream>[0]) => {
  const upstream = await startUpstream(handler)
  cleanups.push(() => upstream.close())
  return upstream
}
/** A raw TCP upstream (for answers no HTTP server would send); resolves to its origin. */
const rawUpstream = async (onConnection: (socket: net.Socket) => void): Promise<string> => {
  const server = net.createServer((socket) => {
    socket.on("error", () => {})
    onConnection(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
}
const ready = (proxy: TestProxy) => eventually(() => proxy.source.current() !== undefined)
const remember = (upstream: TestUpstream) => {
  for (const s of upstream.seen) for (const t of valuesOf(s.rawHeaders, "token")) tokensSeen.add(t)
}
const authCalls = () => {
  const r = sandbox.counters().requests
  return (r["/v1/authenticate-token"] ?? 0) + (r["/v1/refresh-token"] ?? 0)
}

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  sandbox.reset()
})
afterAll(async () => {
  await sandbox.stop()
  // No log line of any proxy in this file holds a token, the API key or the secret key.
  expect(logged.length).toBeGreaterThan(0)
  for (const line of logged) {
    expect(line).not.toContain(demo.apiKey)
    expect(line).not.toContain(demo.secretKey)
    for (const token of tokensSeen) expect(line).not.toContain(token)
    expect(line).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/)
  }
})

describe("forwarding to the sandbox's /api echo", () => {
  it("sets a token the echo accepts, keeps method, path and query, and replaces a client's token", async () => {
    const proxy = await proxyTo(sandbox.url)
    await ready(proxy)
    const answer = await send(proxy.port, {
      method: "PUT",
      path: "/api/v3/iposTransact?mode=test&x=1",
      headers: ["token", "client-own-token", "Content-Length", "2"],
      body: "{}"
    })
    expect(answer.status).toBe(200)
    expect(answer.json()).toMatchObject({ method: "PUT", path: "/api/v3/iposTransact" })
    expect((answer.json().claims as Record<string, unknown>).scope).toBe("paymentTokenize")
    const metrics = await send(proxy.port, { path: "/_ipos/metrics" })
    expect(sample(metrics.text, "ipos_proxy_client_tokens_overwritten_total")).toBe(1)
    expect(sample(metrics.text, "ipos_proxy_tokens_injected_total")).toBe(1)
    expect(sample(metrics.text, 'ipos_proxy_requests_total{class="2xx"}')).toBe(1)
  })
})

describe("one destination", () => {
  it("sends its own Host and token, never the client's, and never a credential header", async () => {
    const upstream = await upstreamWith()
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const answer = await send(proxy.port, {
      path: "/v1/resource?id=42",
      headers: [
        "Host",
        "elsewhere.example:8443",
        "TOKEN",
        "spoofed",
        "token",
        "spoofed-again",
        "apiKey",
        demo.apiKey,
        "SecretKey",
        demo.secretKey,
        "X-Custom",
        "kept"
      ]
    })
    expect(answer.status).toBe(200)
    remember(upstream)
    const [seen] = upstream.seen
    expect(seen?.url).toBe("/v1/resource?id=42")
    expect(valuesOf(seen!.rawHeaders, "host")).toEqual([`127.0.0.1:${upstream.port}`])
    const tokens = valuesOf(seen!.rawHeaders, "token")
    expect(tokens).toHaveLength(1)
    expect(tokens[0]).toMatch(/^eyJ/)
    expect(valuesOf(seen!.rawHeaders, "x-custom")).toEqual(["kept"])
    for (const value of seen!.rawHeaders) {
      expect(value).not.toContain(demo.apiKey)
      expect(value).not.toContain(demo.secretKey)
    }
  })

  it("answers absolute-form targets and CONNECT locally with a 4xx; nothing reaches any server", async () => {
    const upstream = await upstreamWith()
    const elsewhere = await upstreamWith()
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const absolute = await rawExchange(
      proxy.port,
      `GET http://127.0.0.1:${elsewhere.port}/secret HTTP/1.1\r\nHost: 127.0.0.1:${elsewhere.port}\r\nConnection: close\r\n\r\n`
    )
    expect(absolute).toMatch(/^HTTP\/1\.1 400 /)
    expect(absolute).toContain('"error":"absolute_form"')
    const connect = await rawExchange(
      proxy.port,
      `CONNECT 127.0.0.1:${elsewhere.port} HTTP/1.1\r\nHost: 127.0.0.1:${elsewhere.port}\r\n\r\n`
    )
    expect(connect).toMatch(/^HTTP\/1\.1 405 /)
    expect(connect).toContain('"error":"connect"')
    expect(upstream.seen).toEqual([])
    expect(elsewhere.seen).toEqual([])
    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, 'ipos_proxy_requests_total{class="4xx"}')).toBe(2)
    expect(sample(metrics, 'ipos_proxy_rejected_total{reason="absolute_form"}')).toBe(1)
    expect(sample(metrics, 'ipos_proxy_rejected_total{reason="connect"}')).toBe(1)
  })

  it("answers 400 to a target starting with //, which an upstream could read as another host", async () => {
    const upstream = await upstreamWith()
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const answer = await send(proxy.port, { path: "//evil.example/x" })
    expect(answer.status).toBe(400)
    expect(answer.json()).toEqual(rejectAnswer("absolute_form").body)
    expect((await send(proxy.port, { path: "/ok//double" })).status).toBe(200)
    expect(upstream.seen.map((s) => s.url)).toEqual(["/ok//double"])
    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, 'ipos_proxy_requests_total{class="4xx"}')).toBe(1)
    expect(sample(metrics, 'ipos_proxy_requests_total{class="2xx"}')).toBe(1)
  })
})

describe("hop-by-hop headers", () => {
  it("removes them, and every header named in Connection, in both directions", async () => {
    const upstream = await upstreamWith((_req, res) => {
      res.writeHead(200, [
        "Connection",
        "keep-alive, X-Upstream-Hop",
        "X-Upstream-Hop",
        "1",
        "Keep-Alive",
        "timeout=5",
        "Proxy-Authenticate",
        "Basic",
        "Upgrade",
        "h2c",
        "X-End-To-End",
        "kept",
        "Token",
        "upstream-echoed-token"
      ])
      res.end("ok")
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    // Raw bytes: Node's own client refuses to send a Trailer header without a chunked body.
    const response = await rawExchange(
      proxy.port,
      [
        "GET /hop HTTP/1.1",
        `Host: 127.0.0.1:${proxy.port}`,
        "Connection: keep-alive, X-Client-Hop",
        "X-Client-Hop: 1",
        "Keep-Alive: timeout=5",
        "Proxy-Connection: keep-alive",
        "Proxy-Authorization: Basic Zm9vOmJhcg==",
        "TE: trailers",
        "Trailer: X-Checksum",
        "Upgrade: h2c",
        "X-End-To-End: kept",
        "",
        ""
      ].join("\r\n")
    )
    const head = response.slice(0, response.indexOf("\r\n\r\n")).split("\r\n")
    const answer = {
      status: Number(head[0]?.split(" ")[1]),
      rawHeaders: head
        .slice(1)
        .flatMap((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()])
    }
    expect(answer.status).toBe(200)
    const names = (raw: ReadonlyArray<string>) => raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())
    const sent = names(upstream.seen[0]!.rawHeaders)
    for (const hop of [
      "x-client-hop",
      "keep-alive",
      "proxy-connection",
      "proxy-authorization",
      "te",
      "trailer",
      "upgrade"
    ])
      expect(sent).not.toContain(hop)
    expect(sent).toContain("x-end-to-end")
    const received = names(answer.rawHeaders)
    expect(received).not.toContain("token")
    for (const hop of ["x-upstream-hop", "proxy-authenticate", "upgrade"]) expect(received).not.toContain(hop)
    expect(received).toContain("x-end-to-end")
    // The proxy's own connection management, not the upstream's `timeout=5`.
    expect(valuesOf(answer.rawHeaders, "keep-alive")).not.toContain("timeout=5")
  })
})

describe("streaming", () => {
  it("streams a request body and a response body both ways, byte-exact, without buffering them", async () => {
    const requestBody = randomBytes(3 * 1024 * 1024 + 17)
    const responseBody = randomBytes(2 * 1024 * 1024 + 5)
    let releaseResponse: () => void = () => {}
    const released = new Promise<void>((r) => {
      releaseResponse = r
    })
    let firstRequestChunk: () => void = () => {}
    const gotFirstRequestChunk = new Promise<void>((r) => {
      firstRequestChunk = r
    })
    const upstream = await upstreamWith((req, res) => {
      const hash = createHash("sha256")
      let bytes = 0
      req.on("data", (c: Buffer) => {
        if (bytes === 0) firstRequestChunk()
        bytes += c.length
        hash.update(c)
      })
      req.on("end", async () => {
        res.writeHead(201, ["X-Request-Sha256", hash.digest("hex"), "X-Request-Bytes", String(bytes)])
        res.write(responseBody.subarray(0, 1024))
        // The rest only once the client holds the first KiB: a buffering proxy would hang here.
        await released
        res.end(responseBody.subarray(1024))
      })
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const req = http.request({
          host: "127.0.0.1",
          port: proxy.port,
          method: "POST",
          path: "/upload",
          agent: false
        })
        req.on("error", reject)
        req.on("response", (res) => {
          const chunks: Array<Buffer> = []
          res.on("data", (c: Buffer) => {
            chunks.push(c)
            releaseResponse()
          })
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
          )
        })
        // Chunked, and the rest only after the upstream saw the first chunk.
        req.write(requestBody.subarray(0, 64 * 1024))
        void gotFirstRequestChunk.then(() => req.end(requestBody.subarray(64 * 1024)))
      }
    )
    expect(answer.status).toBe(201)
    expect(answer.headers["x-request-bytes"]).toBe(String(requestBody.length))
    expect(answer.headers["x-request-sha256"]).toBe(createHash("sha256").update(requestBody).digest("hex"))
    expect(answer.body.equals(responseBody)).toBe(true)
  })

  it("passes status codes through unchanged", async () => {
    const upstream = await upstreamWith((req, res) => {
      res.statusCode = Number(req.url?.slice(1))
      res.end()
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    for (const status of [200, 204, 302, 404, 418, 500, 503])
      expect((await send(proxy.port, { path: `/${status}` })).status).toBe(status)
  })

  it("answers HEAD with the upstream's headers and no body", async () => {
    const upstream = await upstreamWith((_req, res) => {
      res.writeHead(200, ["Content-Type", "text/plain", "Content-Length", "5"])
      res.end()
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const answer = await send(proxy.port, { method: "HEAD", path: "/file?v=%20x" })
    expect(answer.status).toBe(200)
    expect(answer.headers["content-length"]).toBe("5")
    expect(answer.body.length).toBe(0)
    expect(upstream.seen[0]).toMatchObject({ method: "HEAD", url: "/file?v=%20x" })
  })

  it("aborts the upstream request when the client goes away", async () => {
    let upstreamClosed = false
    const upstream = await upstreamWith((req, res) => {
      res.writeHead(200)
      res.write("partial")
      req.socket.on("close", () => {
        upstreamClosed = true
      })
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    await new Promise<void>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port: proxy.port, path: "/slow", agent: false })
      req.on("response", (res) => {
        res.once("data", () => {
          req.destroy()
          resolve()
        })
      })
      req.on("error", () => {})
      req.end()
    })
    await eventually(() => upstreamClosed)
    await eventually(() => proxy.metrics.inFlight === 0)
  })
})

describe("aborts during an upload", () => {
  it("closes the connection after an answer that came before the whole request body", async () => {
    const upstream = await upstreamWith((_req, res) => {
      res.writeHead(400, ["Content-Type", "text/plain"])
      res.end("rejected early")
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    // 1 MB announced, 64 KiB sent: the rest never comes. The answer must end the connection
    // (it cannot carry a next request), not leave it hanging on the unread body.
    const received = await new Promise<{ text: string; closed: boolean }>((resolve) => {
      const socket = net.connect(proxy.port, "127.0.0.1")
      let text = ""
      socket.setEncoding("latin1")
      socket.on("data", (d: string) => {
        text += d
      })
      socket.on("error", () => {})
      const timer = setTimeout(() => {
        socket.destroy()
        resolve({ text, closed: false })
      }, 15_000)
      socket.on("end", () => {
        clearTimeout(timer)
        resolve({ text, closed: true })
      })
      socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n`)
      socket.write(Buffer.alloc(64 * 1024, 1))
    })
    expect(received.text).toMatch(/^HTTP\/1\.1 400 /)
    expect(received.text.toLowerCase()).toContain("\r\nconnection: close\r\n")
    expect(received.text).toContain("rejected early")
    expect(received.closed).toBe(true)
    await eventually(() => proxy.metrics.inFlight === 0)
  })

  it("aborts the upstream request when the client goes away mid-body", async () => {
    let upstreamSawAbort = false
    let gotData: () => void = () => {}
    const dataArrived = new Promise<void>((r) => {
      gotData = r
    })
    const upstream = await upstreamWith((req) => {
      req.once("data", () => gotData())
      req.on("close", () => {
        if (!req.complete) upstreamSawAbort = true
      })
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const req = http.request({ host: "127.0.0.1", port: proxy.port, method: "POST", path: "/upload", agent: false })
    req.on("error", () => {})
    req.write(Buffer.alloc(32 * 1024, 1))
    await dataArrived
    req.destroy()
    await eventually(() => upstreamSawAbort)
    await eventually(() => proxy.metrics.inFlight === 0)
  })
})

describe("reactive refresh on 401", () => {
  it("invalidates the refused token, acquires a new one and replays the request once, body included", async () => {
    const proxy = await proxyTo(`${sandbox.url}`)
    await ready(proxy)
    const before = authCalls()
    expect(sandbox.revoke()).toBeGreaterThan(0)
    const answer = await send(proxy.port, {
      method: "POST",
      path: "/api/v1/recurring",
      headers: ["Content-Type", "application/json", "Content-Length", "11"],
      body: '{"a":"xyz"}'
    })
    expect(answer.status).toBe(200)
    expect(answer.json()).toMatchObject({ method: "POST", path: "/api/v1/recurring" })
    expect(authCalls() - before).toBe(1)
    expect(proxy.metrics.replays).toBe(1)
  })

  it("replays the kept body byte for byte", async () => {
    const bodies: Array<string> = []
    let refused: string | undefined
    const upstream = await upstreamWith((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => {
        body += c.toString()
      })
      req.on("end", () => {
        bodies.push(body)
        const token = req.headers.token as string
        if (refused === undefined || refused === token) {
          refused = token
          res.writeHead(401)
          return void res.end("refused")
        }
        res.end(body)
      })
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const answer = await send(proxy.port, { method: "POST", path: "/echo", body: "payload-Ω" })
    remember(upstream)
    expect(answer.status).toBe(200)
    expect(answer.text).toBe("payload-Ω")
    expect(bodies).toEqual(["payload-Ω", "payload-Ω"])
    expect(upstream.seen[0]!.headers.token).not.toBe(upstream.seen[1]!.headers.token)
  })

  it("gives a second 401 to the client, and does not replay bodies larger than the replay buffer", async () => {
    const upstream = await upstreamWith((req, res) => {
      req.resume()
      req.on("end", () => {
        res.writeHead(401, ["Content-Type", "text/plain"])
        res.end("no")
      })
    })
    const proxy = await proxyTo(upstream.url, ["--replay-buffer", "8"])
    await ready(proxy)
    const small = await send(proxy.port, { method: "POST", path: "/a", body: "1234" })
    expect(small.status).toBe(401)
    expect(small.text).toBe("no")
    expect(upstream.seen).toHaveLength(2)
    expect(proxy.metrics.replays).toBe(1)
    await ready(proxy)
    const large = await send(proxy.port, { method: "POST", path: "/b", body: "123456789" })
    expect(large.status).toBe(401)
    expect(upstream.seen).toHaveLength(3)
    expect(proxy.metrics.replays).toBe(1)
    remember(upstream)
  })

  it("makes one acquisition for many concurrent 401s of the same token", async () => {
    // The upstream holds its 401s until all requests arrived with the first token: they are
    // refused together, not one after another.
    const count = 24
    let first: string | undefined
    const held: Array<() => void> = []
    const upstream = await upstreamWith((req, res) => {
      const token = req.headers.token as string
      first ??= token
      if (token !== first) return void res.end("ok")
      held.push(() => {
        res.writeHead(401)
        res.end("refused")
      })
      if (held.length === count) for (const refuse of held) refuse()
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const before = authCalls()
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) => send(proxy.port, { path: `/api/item/${i}` }))
    )
    remember(upstream)
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
    expect(held).toHaveLength(count)
    expect(authCalls() - before).toBe(1)
    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, "ipos_proxy_replays_total")).toBe(count)
    expect(sample(metrics, "ipos_proxy_tokens_injected_total")).toBe(2 * count)
  })

  it("acquires a bounded number of tokens for a route that refuses every token", async () => {
    const upstream = await upstreamWith((_req, res) => {
      res.writeHead(401)
      res.end("never")
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const before = authCalls()
    const started = Date.now()
    for (let i = 0; i < 10; i++) expect((await send(proxy.port, { path: `/always-401/${i}` })).status).toBe(401)
    const elapsed = Date.now() - started
    remember(upstream)
    // One acquisition, then none while that token is younger than the grace period (one more per
    // elapsed grace period on a very slow machine); before the bound: one per request.
    expect(authCalls() - before).toBe(1 + Math.floor(elapsed / refusedGraceMs))
    expect(proxy.metrics.replays).toBe(1 + Math.floor(elapsed / refusedGraceMs))
  })

  it("after a replay that brings no new token, names that failure, not a start-up", async () => {
    // A manager whose invalidation does nothing: the acquisition after the 401 returns the same token.
    const tokens = sameTokenManager("jwt-refused-everywhere")
    const upstream = await upstreamWith((_req, res) => {
      res.writeHead(401)
      res.end()
    })
    const started = await startProxy(configFor(["--upstream", upstream.url]), { tokens, log: (l) => logged.push(l) })
    if (Result.isFailure(started)) throw new Error(started.failure)
    const proxy = started.success
    cleanups.push(() => proxy.stop())
    await eventually(() => proxy.source.state() === "ready")
    const answer = await send(proxy.port, { path: "/x" })
    expect(answer.status).toBe(503)
    expect(answer.json()).toEqual({
      error: "token_unavailable",
      class: "unavailable",
      reason: "Unavailable",
      message:
        "the proxy holds no valid token (no new token after the upstream refused the current one); the request was not forwarded"
    })
    expect(proxy.source.state()).toBe("ready")
  })
})

describe("failing closed", () => {
  it("with credentials iPOSpays refuses: stays up, health 200, ready 503, 502 naming the AUTH_ERR code", async () => {
    const upstream = await upstreamWith()
    const proxy = await proxyTo(upstream.url, [], { apiKey: "wrong-api-key", secretKey: "wrong-secret-key" })
    await eventually(() => proxy.source.state() === "unavailable")
    expect((await send(proxy.port, { path: "/_ipos/health" })).status).toBe(200)
    const notReady = await send(proxy.port, { path: "/_ipos/ready" })
    expect(notReady.status).toBe(503)
    const answer = await send(proxy.port, { path: "/v1/anything" })
    expect(answer.status).toBe(502)
    expect(answer.headers["content-type"]).toContain("application/json")
    expect(answer.json()).toMatchObject({ error: "token_unavailable", class: "rejected", code: "AUTH_ERR_004" })
    expect(upstream.seen).toEqual([])
    expect(answer.text).not.toContain("wrong-secret-key")
    expect(
      sample((await send(proxy.port, { path: "/_ipos/metrics" })).text, 'ipos_proxy_fail_closed_total{kind="rejected"}')
    ).toBe(1)
  })

  it("with an auth outage at start: 503 with Retry-After, then recovers by itself", async () => {
    // An outage far longer than the test, ended by the test once the 503 is seen: a loaded machine
    // cannot reach the request only after a short outage has already ended.
    expect(await control(sandbox.url, "/_sandbox/faults", { outage: { seconds: 600 } })).toBe(200)
    const upstream = await upstreamWith()
    const proxy = await proxyTo(upstream.url, ["--token-wait", "0"])
    await eventually(() => proxy.source.state() === "unavailable")
    const answer = await send(proxy.port, { path: "/v1/x" })
    expect(answer.status).toBe(503)
    expect(Number(answer.headers["retry-after"])).toBeGreaterThanOrEqual(1)
    expect(answer.json()).toMatchObject({ error: "token_unavailable", class: "unavailable" })
    expect(upstream.seen).toEqual([])
    expect(await control(sandbox.url, "/_sandbox/faults", {}, "DELETE")).toBe(200)
    await eventually(() => proxy.source.state() === "ready", 30_000)
    expect((await send(proxy.port, { path: "/_ipos/ready" })).status).toBe(200)
    expect((await send(proxy.port, { path: "/v1/x" })).status).toBe(200)
  })

  it("hides an auth outage while a valid token is held", async () => {
    const proxy = await proxyTo(sandbox.url)
    await ready(proxy)
    expect(await control(sandbox.url, "/_sandbox/faults", { outage: { seconds: 30 } })).toBe(200)
    const refresh = await send(proxy.port, { method: "POST", path: "/_ipos/refresh" })
    expect(refresh.status).toBe(503)
    expect(refresh.json()).toMatchObject({ error: "refresh_failed", class: "unavailable" })
    for (let i = 0; i < 5; i++) expect((await send(proxy.port, { path: `/api/ok/${i}` })).status).toBe(200)
    expect((await send(proxy.port, { path: "/_ipos/ready" })).status).toBe(200)
  })
})

describe("upstream failures", () => {
  it("answers 502 JSON when the upstream refuses the connection", async () => {
    const closedPort = await freePort()
    const proxy = await proxyTo(`http://127.0.0.1:${closedPort}`)
    await ready(proxy)
    const answer = await send(proxy.port, { path: "/x" })
    expect(answer.status).toBe(502)
    expect(answer.json()).toEqual({ error: "upstream_refused", message: "the upstream refused the connection" })
    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, 'ipos_proxy_upstream_errors_total{class="refused"}')).toBe(1)
    expect(sample(metrics, 'ipos_proxy_requests_total{class="5xx"}')).toBe(1)
  })

  it("answers 502 JSON when the upstream resets the connection", async () => {
    const upstream = await upstreamWith((req) => req.socket.resetAndDestroy())
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const answer = await send(proxy.port, { path: "/x" })
    expect(answer.status).toBe(502)
    expect(answer.json()).toMatchObject({ error: "upstream_reset" })
  })

  it("answers 502 JSON when the upstream's response is not HTTP/1.1, and counts its class", async () => {
    const upstream = await rawUpstream((socket) => {
      socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx"))
    })
    const proxy = await proxyTo(upstream)
    await ready(proxy)
    const answer = await send(proxy.port, { path: "/x" })
    expect(answer.status).toBe(502)
    expect(answer.json()).toEqual({
      error: "upstream_invalid_response",
      message: "the upstream's response could not be read as HTTP/1.1"
    })
    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, 'ipos_proxy_upstream_errors_total{class="invalid_response"}')).toBe(1)
  })

  it("repeats a GET on a fresh connection when the upstream closed the kept-alive one unanswered", async () => {
    let connections = 0
    const upstream = await rawUpstream((socket) => {
      connections += 1
      let requests = 0
      socket.setEncoding("latin1")
      socket.on("data", (data: string) => {
        requests += data.split("\r\n\r\n").length - 1
        // Each connection answers once and then closes on the next request, as an upstream
        // whose keep-alive timeout passed while the request was on its way.
        if (requests > 1) socket.destroy()
        else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
      })
    })
    const proxy = await proxyTo(upstream)
    await ready(proxy)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(async () => agent.destroy())
    for (let i = 0; i < 3; i++) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port: proxy.port, path: `/r${i}`, agent }, (res) => {
            let body = ""
            res.on("data", (c: Buffer) => {
              body += c.toString()
            })
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
          })
          .on("error", reject)
      })
      expect(answer).toEqual({ status: 200, body: "ok" })
    }
    expect(connections).toBe(3)
    expect([...proxy.metrics.upstreamErrors]).toEqual([])
  })

  it("answers 504 JSON when the response headers do not come in time", async () => {
    const upstream = await upstreamWith(() => {})
    const proxy = await proxyTo(upstream.url, ["--response-timeout", "300"])
    await ready(proxy)
    const answer = await send(proxy.port, { path: "/x" })
    expect(answer.status).toBe(504)
    expect(answer.json()).toMatchObject({ error: "upstream_response_timeout" })
  })

  it("cuts a response whose body pauses longer than --body-timeout", async () => {
    const upstream = await upstreamWith((_req, res) => {
      res.writeHead(200, ["Content-Type", "text/plain"])
      res.write("partial")
    })
    const proxy = await proxyTo(upstream.url, ["--body-timeout", "300"])
    await ready(proxy)
    const outcome = await new Promise<{ body: string; ended: boolean }>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port: proxy.port, path: "/stalls", agent: false })
      const timer = setTimeout(() => {
        req.destroy()
        resolve({ body: "", ended: false })
      }, 15_000)
      req.on("error", () => {})
      req.on("response", (res) => {
        let body = ""
        res.on("data", (c: Buffer) => {
          body += c.toString()
        })
        res.on("error", () => {})
        res.on("close", () => {
          clearTimeout(timer)
          resolve({ body, ended: res.complete })
        })
      })
      req.end()
    })
    // Cut, not completed: the client sees the partial body and an aborted response.
    expect(outcome).toEqual({ body: "partial", ended: false })
    expect([...proxy.metrics.upstreamErrors]).toEqual([["error", 1]])
  })

  it("answers 504 JSON when connecting takes too long", async () => {
    // Loopback connects complete at once (the kernel finishes handshakes even for a listener that
    // never accepts), so the proxy gets a connector whose connections never complete.
    const never: buildConnector.connector = () => {}
    const proxy = await startTestProxy("http://127.0.0.1:9", sandbox.url, ["--connect-timeout", "300"], demo, never)
    cleanups.push(() => proxy.stop())
    await ready(proxy)
    const answer = await send(proxy.port, { path: "/x" })
    expect(answer.status).toBe(504)
    expect(answer.json()).toEqual({
      error: "upstream_connect_timeout",
      message: "connecting to the upstream timed out"
    })
  })
})

describe("limits", () => {
  it("answers 431 for a request head over the limit", async () => {
    const upstream = await upstreamWith()
    const proxy = await proxyTo(upstream.url, ["--max-header", "2048"])
    await ready(proxy)
    const answer = await rawExchange(proxy.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(4096)}\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 431 /)
    const malformed = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost x\r\n\r\n")
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /)
    expect(upstream.seen).toEqual([])
    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, 'ipos_proxy_requests_total{class="4xx"}')).toBe(2)
    expect(sample(metrics, 'ipos_proxy_rejected_total{reason="header_too_large"}')).toBe(1)
    expect(sample(metrics, 'ipos_proxy_rejected_total{reason="bad_request"}')).toBe(1)
  })

  it("answers 501 to a transfer coding other than chunked, and forwards chunked in any case", async () => {
    const upstream = await upstreamWith((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => {
        body += c.toString()
      })
      req.on("end", () => res.end(body))
    })
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    const gzip = await rawExchange(
      proxy.port,
      "POST /g HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    )
    expect(gzip).toMatch(/^HTTP\/1\.1 501 /)
    expect(gzip.slice(gzip.indexOf("\r\n\r\n") + 4)).toBe(
      `${JSON.stringify(rejectAnswer("unsupported_transfer_coding").body)}\n`
    )
    expect(upstream.seen).toEqual([])
    const chunked = await rawExchange(
      proxy.port,
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:  Chunked \r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    )
    expect(chunked).toMatch(/^HTTP\/1\.1 200 /)
    expect(chunked.endsWith("abc")).toBe(true)
    expect(proxy.metrics.rejected.get("unsupported_transfer_coding")).toBe(1)
    expect(proxy.metrics.byClass[5]).toBe(1)
  })

  it("answers 413 for a body over the limit, declared or chunked", async () => {
    const upstream = await upstreamWith((req, res) => {
      req.resume()
      req.on("end", () => res.end("ok"))
    })
    const proxy = await proxyTo(upstream.url, ["--max-body", "1000"])
    await ready(proxy)
    const declared = await send(proxy.port, { method: "POST", path: "/d", body: "x".repeat(1001) })
    expect(declared.status).toBe(413)
    expect(declared.json()).toMatchObject({ error: "body_too_large" })
    expect(upstream.seen).toEqual([])
    const chunked = await rawExchange(
      proxy.port,
      `POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n${"y".repeat(1000)}\r\n2\r\nzz\r\n0\r\n\r\n`
    )
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /)
    // The aborted upstream request is the proxy's doing, not an upstream failure.
    expect([...proxy.metrics.upstreamErrors]).toEqual([])
    expect(proxy.metrics.rejected.get("body_too_large")).toBe(2)
    expect((await send(proxy.port, { method: "POST", path: "/ok", body: "x".repeat(1000) })).status).toBe(200)
  })
})

describe("reserved paths", () => {
  it("serve token metadata (never the token), a forced refresh, and metrics", async () => {
    const upstream = await upstreamWith()
    const proxy = await proxyTo(upstream.url)
    await ready(proxy)
    await send(proxy.port, { path: "/v1/x" })
    remember(upstream)
    const token = upstream.seen[0]!.headers.token as string
    const meta = await send(proxy.port, { path: "/_ipos/token" })
    expect(meta.status).toBe(200)
    expect(meta.text).not.toContain(token)
    expect(meta.json()).toMatchObject({ scope: "PaymentTokenization", state: "ready" })
    expect(Date.parse(meta.json().expiresAt as string)).toBeGreaterThan(Date.parse(meta.json().issuedAt as string))
    const refreshes = sandbox.counters().requests["/v1/refresh-token"] ?? 0
    const refreshed = await send(proxy.port, { method: "POST", path: "/_ipos/refresh" })
    expect(refreshed.status).toBe(200)
    expect(refreshed.json()).toMatchObject({ state: "ready" })
    expect(sandbox.counters().requests["/v1/refresh-token"]).toBe(refreshes + 1)
    expect((await send(proxy.port, { path: "/_ipos/refresh" })).status).toBe(405)
    expect((await send(proxy.port, { path: "/_ipos/nothing" })).status).toBe(404)
    const metrics = await send(proxy.port, { path: "/_ipos/metrics" })
    expect(metrics.headers["content-type"]).toContain("text/plain")
    for (const family of [
      "ipos_proxy_requests_total",
      "ipos_proxy_tokens_injected_total",
      "ipos_proxy_client_tokens_overwritten_total",
      "ipos_proxy_fail_closed_total",
      "ipos_proxy_replays_total",
      "ipos_proxy_upstream_latency_seconds",
      "ipos_proxy_token_ready",
      "ipos_auth_token_expires_at_seconds",
      "ipos_auth_acquisitions_total"
    ])
      expect(metrics.text).toContain(`# TYPE ${family} `)
    expect(sample(metrics.text, "ipos_proxy_upstream_latency_seconds_count")).toBe(1)
    expect(metrics.text).not.toContain(token)
    expect(upstream.seen).toHaveLength(1)
  })
})
