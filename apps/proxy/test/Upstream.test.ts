import * as https from "node:https"
import type { AddressInfo } from "node:net"
import * as net from "node:net"
import selfsigned from "selfsigned"
import { buildConnector } from "undici"
import { afterEach, describe, expect, it } from "vitest"
import { ExchangeFailure, type UpstreamHandler, UpstreamPool, type UpstreamRequest } from "../src/Upstream.js"

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A raw TCP upstream on 127.0.0.1: `serve` gets each connection and the bytes read so far on it. */
const rawUpstream = async (serve: (socket: net.Socket, received: string, index: number) => void) => {
  const sockets: Array<net.Socket> = []
  const requests: Array<string> = []
  const server = net.createServer((socket) => {
    const index = sockets.length
    sockets.push(socket)
    let received = ""
    socket.setEncoding("latin1")
    socket.on("error", () => {})
    socket.on("data", (data: string) => {
      received += data
      requests[index] = received
      serve(socket, received, index)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  cleanups.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(resolve)
      })
  )
  return { port: (server.address() as AddressInfo).port, sockets, requests }
}

const poolFor = (
  port: number,
  options: { headersTimeoutMs?: number; bodyTimeoutMs?: number; idleTimeoutMs?: number } = {}
) => {
  const pool = new UpstreamPool({
    origin: new URL(`http://127.0.0.1:${port}`),
    connect: buildConnector({ timeout: 5000 }),
    headersTimeoutMs: options.headersTimeoutMs ?? 5000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 5000,
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs })
  })
  cleanups.push(() => pool.destroy())
  return pool
}

interface Outcome {
  readonly status?: number
  readonly headers?: Array<string>
  readonly body?: string
  readonly error?: string
}

/** A handler that collects the answer, and the call to send more of a streamed body. */
const exchange = (pool: UpstreamPool, request: Partial<UpstreamRequest> = {}) => {
  let status: number | undefined
  let headers: Array<string> | undefined
  let body = ""
  let settle: (outcome: Outcome) => void = () => {}
  const outcome = new Promise<Outcome>((resolve) => {
    settle = resolve
  })
  const handler: UpstreamHandler = {
    onHeaders: (s, _text, raw) => {
      status = s
      headers = raw
    },
    onData: (chunk) => {
      body += chunk.toString("latin1")
      return true
    },
    onComplete: (last) => {
      body += last?.toString("latin1") ?? ""
      settle({ status: status!, headers: headers!, body })
    },
    onError: (error) =>
      settle({ error: error instanceof ExchangeFailure ? error.failure : (error as NodeJS.ErrnoException).code! }),
    onDrain: () => {}
  }
  const call = pool.dispatch(
    { method: "GET", path: "/", headers: ["host", "up"], body: null, framed: false, ...request },
    handler
  )
  return { call, outcome }
}

const okResponse = (body: string, extra = "") =>
  `HTTP/1.1 200 OK\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`
/** Answers every complete request head with `body`. */
const answering = (body: string) => (socket: net.Socket, received: string) => {
  const heads = received.split("\r\n\r\n").length - 1
  const answered = (socket as net.Socket & { answered?: number }).answered ?? 0
  for (let i = answered; i < heads; i++) socket.write(okResponse(body))
  ;(socket as net.Socket & { answered?: number }).answered = heads
}

describe("UpstreamPool requests", () => {
  it("writes the head with the given headers, in order, and reuses one connection", async () => {
    const upstream = await rawUpstream(answering("ok"))
    const pool = poolFor(upstream.port)
    for (const path of ["/a?x=1", "/b"]) {
      const { outcome } = exchange(pool, { path, headers: ["X-Trace", "t", "host", "up:1"] })
      expect(await outcome).toEqual({ status: 200, headers: ["Content-Length", "2"], body: "ok" })
    }
    expect(upstream.sockets.length).toBe(1)
    expect(upstream.requests[0]).toBe(
      "GET /a?x=1 HTTP/1.1\r\nX-Trace: t\r\nhost: up:1\r\n\r\nGET /b HTTP/1.1\r\nX-Trace: t\r\nhost: up:1\r\n\r\n"
    )
  })

  it.each<[string, { request: Partial<UpstreamRequest>; want: string }]>([
    [
      "a whole body with its Content-Length added",
      {
        request: { method: "POST", body: Buffer.from("abc") },
        want: "POST / HTTP/1.1\r\nhost: up\r\ncontent-length: 3\r\n\r\nabc"
      }
    ],
    [
      "a whole body whose Content-Length the headers carry",
      {
        request: {
          method: "PUT",
          headers: ["Content-Length", "3", "host", "up"],
          body: Buffer.from("abc"),
          framed: true
        },
        want: "PUT / HTTP/1.1\r\nContent-Length: 3\r\nhost: up\r\n\r\nabc"
      }
    ],
    [
      "an empty POST announced as empty",
      { request: { method: "POST" }, want: "POST / HTTP/1.1\r\nhost: up\r\ncontent-length: 0\r\n\r\n" }
    ]
  ])("sends %s", async (_, { request, want }) => {
    const upstream = await rawUpstream(answering(""))
    const { outcome } = exchange(poolFor(upstream.port), request)
    expect((await outcome).status).toBe(200)
    expect(upstream.requests[0]).toBe(want)
  })

  it("frames a streamed body without Content-Length as chunked, written before the connection is up", async () => {
    const upstream = await rawUpstream((socket, received) => {
      if (received.endsWith("0\r\n\r\n")) socket.write(okResponse("done"))
    })
    const { call, outcome } = exchange(poolFor(upstream.port), { method: "POST", body: "stream" })
    expect(call.write(Buffer.from("hello"))).toBe(false)
    await new Promise((r) => setTimeout(r, 50))
    expect(call.write(Buffer.from("world!"))).toBe(true)
    call.end()
    expect((await outcome).body).toBe("done")
    expect(upstream.requests[0]).toBe(
      "POST / HTTP/1.1\r\nhost: up\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n"
    )
  })

  it("reads a body without framing until the upstream closes, and opens a new connection after", async () => {
    const upstream = await rawUpstream((socket, received) => {
      if (received.endsWith("\r\n\r\n")) socket.end("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close")
    })
    const pool = poolFor(upstream.port)
    for (let i = 0; i < 2; i++)
      expect(await exchange(pool).outcome).toEqual({
        status: 200,
        headers: ["Content-Type", "text/plain"],
        body: "until close"
      })
    expect(upstream.sockets.length).toBe(2)
  })

  it("hands the last body slice of a read with the end", async () => {
    const upstream = await rawUpstream(answering("whole"))
    const pool = poolFor(upstream.port)
    const seen: Array<string> = []
    await new Promise<void>((resolve) => {
      pool.dispatch(
        { method: "GET", path: "/", headers: [], body: null, framed: false },
        {
          onHeaders: () => seen.push("head"),
          onData: (c) => seen.push(`data ${c}`) > 0,
          onComplete: (last) => {
            seen.push(`end ${last}`)
            resolve()
          },
          onError: () => {},
          onDrain: () => {}
        }
      )
    })
    expect(seen).toEqual(["head", "end whole"])
  })
  it("keeps reading a connection that was paused for a slow client when the same read completed the answer", async () => {
    const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n2\r\nef\r\n0\r\n\r\n"
    const upstream = await rawUpstream((socket, received) => {
      const heads = received.split("\r\n\r\n").length - 1
      if (received.endsWith("\r\n\r\n")) socket.write(heads === 1 ? chunked : okResponse("second"))
    })
    const pool = poolFor(upstream.port, { headersTimeoutMs: 1000 })
    const slow = await new Promise<string>((resolve) => {
      let body = ""
      pool.dispatch(
        { method: "GET", path: "/", headers: [], body: null, framed: false },
        {
          onHeaders: () => {},
          // A client that never drains: every slice asks the pool to hold further data.
          onData: (chunk) => {
            body += chunk.toString("latin1")
            return false
          },
          onComplete: (last) => resolve(body + (last?.toString("latin1") ?? "")),
          onError: (error) => resolve(`error ${String(error)}`),
          onDrain: () => {}
        }
      )
    })
    expect(slow).toBe("abcdef")
    expect(await exchange(pool).outcome).toEqual({ status: 200, headers: ["Content-Length", "6"], body: "second" })
    expect(upstream.sockets.length).toBe(1)
  })

  it("fails an exchange whose client stopped reading for longer than the body timeout, and drops its connection", async () => {
    const upstream = await rawUpstream((socket, received) => {
      // One chunk now; the rest never comes while the pool holds the connection paused.
      if (received.endsWith("\r\n\r\n"))
        socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n")
    })
    const pool = poolFor(upstream.port, { bodyTimeoutMs: 300 })
    const outcome = await new Promise<string>((resolve) => {
      pool.dispatch(
        { method: "GET", path: "/", headers: [], body: null, framed: false },
        {
          onHeaders: () => {},
          onData: () => false,
          onComplete: () => resolve("complete"),
          onError: (error) => resolve(error instanceof ExchangeFailure ? error.failure : String(error)),
          onDrain: () => {}
        }
      )
      setTimeout(() => resolve("still held after 3 s"), 3000)
    })
    expect(outcome).toBe("error")
    await new Promise((r) => setTimeout(r, 50))
    expect(upstream.sockets[0]!.destroyed || upstream.sockets[0]!.readableEnded).toBe(true)
  })

  it("delivers an answer followed by stray bytes (a body on a HEAD) and does not reuse that connection", async () => {
    const upstream = await rawUpstream((socket, received) => {
      if (received.endsWith("\r\n\r\n")) socket.write(okResponse("stray"))
    })
    const pool = poolFor(upstream.port)
    expect(await exchange(pool, { method: "HEAD" }).outcome).toEqual({
      status: 200,
      headers: ["Content-Length", "5"],
      body: ""
    })
    expect(await exchange(pool, { method: "HEAD" }).outcome).toMatchObject({ status: 200, body: "" })
    expect(upstream.sockets.length).toBe(2)
  })
})

describe("UpstreamPool over TLS", () => {
  it("speaks HTTP/1.1 over undici's TLS connector and keeps the connection", async () => {
    // A throwaway self-signed certificate for 127.0.0.1, made at test time.
    const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
      notAfterDate: new Date(Date.now() + 86_400_000),
      keySize: 2048,
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }]
    })
    let connections = 0
    const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      res.writeHead(200, ["Content-Type", "text/plain"])
      res.end(`tls ${req.method} ${req.url} ${req.headers.host}`)
    })
    server.on("secureConnection", () => {
      connections += 1
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    cleanups.push(() => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    })
    const { port } = server.address() as AddressInfo
    const pool = new UpstreamPool({
      origin: new URL(`https://127.0.0.1:${port}`),
      connect: buildConnector({ timeout: 5000, ca: pems.cert }),
      headersTimeoutMs: 5000,
      bodyTimeoutMs: 5000
    })
    cleanups.push(() => pool.destroy())
    for (const path of ["/one", "/two"]) {
      const { outcome } = exchange(pool, { path, headers: ["host", `127.0.0.1:${port}`] })
      expect((await outcome).body).toBe(`tls GET ${path} 127.0.0.1:${port}`)
    }
    expect(connections).toBe(1)
  })
})

describe("UpstreamPool failures", () => {
  it("answers invalid_response for bytes that are no HTTP/1.1 response, and drops that connection", async () => {
    const upstream = await rawUpstream((socket, received, index) => {
      if (received.endsWith("\r\n\r\n")) socket.write(index === 0 ? "SSH-2.0-OpenSSH\r\n\r\n" : okResponse("ok"))
    })
    const pool = poolFor(upstream.port)
    expect(await exchange(pool).outcome).toEqual({ error: "invalid_response" })
    expect((await exchange(pool).outcome).body).toBe("ok")
    expect(upstream.sockets.length).toBe(2)
  })

  /** The first connection answers once, then closes on the next request (a keep-alive race). */
  const closingAfterOne = () =>
    rawUpstream((socket, received, index) => {
      if (index === 0 && received.split("\r\n\r\n").length > 2) socket.destroy()
      else answering("ok")(socket, received)
    })

  it("retries an idempotent request once on a fresh connection when a reused one was closed unanswered", async () => {
    const upstream = await closingAfterOne()
    const pool = poolFor(upstream.port)
    expect((await exchange(pool).outcome).body).toBe("ok")
    expect((await exchange(pool).outcome).body).toBe("ok")
    expect(upstream.sockets.length).toBe(2)
  })

  it("does not repeat a POST the upstream may have read: it fails as reset", async () => {
    const upstream = await closingAfterOne()
    const pool = poolFor(upstream.port)
    expect((await exchange(pool).outcome).body).toBe("ok")
    expect(await exchange(pool, { method: "POST", body: Buffer.from("x") }).outcome).toEqual({ error: "reset" })
    expect(upstream.sockets.length).toBe(1)
  })

  it("does not retry on a fresh connection", async () => {
    const upstream = await rawUpstream((socket) => socket.destroy())
    expect(await exchange(poolFor(upstream.port)).outcome).toEqual({ error: "reset" })
    expect(upstream.sockets.length).toBe(1)
  })

  it("fails with response_timeout when the head does not come in time", async () => {
    const upstream = await rawUpstream(() => {})
    const started = performance.now()
    expect(await exchange(poolFor(upstream.port, { headersTimeoutMs: 200 })).outcome).toEqual({
      error: "response_timeout"
    })
    expect(performance.now() - started).toBeGreaterThanOrEqual(195)
  })

  it("fails with refused when nothing listens", async () => {
    const upstream = await rawUpstream(() => {})
    const port = upstream.port
    await cleanups.pop()?.()
    expect(await exchange(poolFor(port)).outcome).toEqual({ error: "ECONNREFUSED" })
  })

  it("closes the connection of an aborted call and calls nothing after", async () => {
    let closed = false
    const upstream = await rawUpstream((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\npart")
      socket.on("close", () => {
        closed = true
      })
    })
    const pool = poolFor(upstream.port)
    const events: Array<string> = []
    const call = pool.dispatch(
      { method: "GET", path: "/", headers: [], body: null, framed: false },
      {
        onHeaders: () => events.push("head"),
        onData: () => {
          events.push("data")
          call.abort()
          return true
        },
        onComplete: () => events.push("complete"),
        onError: () => events.push("error"),
        onDrain: () => {}
      }
    )
    for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 20))
    expect(closed).toBe(true)
    expect(events).toEqual(["head", "data"])
  })

  /** Milliseconds from an exchange answered with `Keep-Alive: timeout=<hint>` until the pool closed its connection (0: not within 3 s). */
  const idleCloseAfter = async (hint: number) => {
    const upstream = await rawUpstream((socket, received) => {
      if (received.endsWith("\r\n\r\n")) socket.write(okResponse("ok", `Keep-Alive: timeout=${hint}\r\n`))
    })
    const pool = poolFor(upstream.port, { idleTimeoutMs: 60_000 })
    let closedAt = 0
    const started = performance.now()
    await exchange(pool).outcome
    upstream.sockets[0]!.on("close", () => {
      closedAt = performance.now()
    })
    for (let i = 0; i < 150 && closedAt === 0; i++) await new Promise((r) => setTimeout(r, 20))
    return closedAt === 0 ? 0 : closedAt - started
  }

  it("closes idle connections after the idle timeout, or a second before the upstream's hint", async () => {
    const after = await idleCloseAfter(2)
    expect(after).toBeGreaterThanOrEqual(990)
    expect(after).toBeLessThan(2000)
  })

  it("reuses a connection for at most half a second when the upstream says Keep-Alive: timeout=1", async () => {
    const after = await idleCloseAfter(1)
    expect(after).toBeGreaterThan(0)
    // Closed by the pool, before the upstream's own second is up.
    expect(after).toBeLessThan(990)
  })
})
