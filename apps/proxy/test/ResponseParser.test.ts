import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { InvalidResponse, ResponseParser } from "../src/ResponseParser.js"

/** What a parse produced, in order: one head, the body, whether it ended and with keep-alive. */
interface Parsed {
  status?: number
  statusText?: string
  headers?: Array<string>
  body: string
  ended?: boolean
  keepAlive?: boolean
  error?: string
}

/** Feeds `pieces` one by one (then end of stream when `close`), recording every event. */
const parse = (pieces: ReadonlyArray<string | Buffer>, method = "GET", close = false, maxHead?: number): Parsed => {
  const parsed: Parsed = { body: "" }
  const parser = new ResponseParser(
    {
      onHead: (status, statusText, headers) => {
        expect(parsed.status).toBeUndefined()
        Object.assign(parsed, { status, statusText, headers })
      },
      onBody: (chunk) => {
        expect(chunk.length).toBeGreaterThan(0)
        parsed.body += chunk.toString("latin1")
      },
      onEnd: (keepAlive) => {
        Object.assign(parsed, { ended: true, keepAlive })
      }
    },
    maxHead
  )
  parser.expect(method)
  for (const piece of pieces) {
    const error = parser.feed(typeof piece === "string" ? Buffer.from(piece, "latin1") : piece)
    if (error !== undefined) return { ...parsed, error: error.reason }
  }
  if (close) {
    const error = parser.close()
    if (error !== undefined) return { ...parsed, error: error.reason }
  }
  return parsed
}

const ok = (head: string, body = "") => `HTTP/1.1 200 OK\r\n${head}\r\n${body}`

describe("ResponseParser framing", () => {
  it.each<[string, { given: ReadonlyArray<string>; method?: string; close?: boolean; want: Parsed }]>([
    [
      "reads a Content-Length body and keeps header names as sent",
      {
        given: [ok("Content-Length: 5\r\nX-Trace-ID: a b\r\n", "hello")],
        want: {
          status: 200,
          statusText: "OK",
          headers: ["Content-Length", "5", "X-Trace-ID", "a b"],
          body: "hello",
          ended: true,
          keepAlive: true
        }
      }
    ],
    [
      "reads a chunked body with extensions and drops its trailers",
      {
        given: [ok("Transfer-Encoding: chunked\r\n", "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 1\r\n\r\n")],
        want: {
          status: 200,
          statusText: "OK",
          headers: ["Transfer-Encoding", "chunked"],
          body: "abcde",
          ended: true,
          keepAlive: true
        }
      }
    ],
    [
      "reads until close without framing, and never keeps that connection",
      {
        given: [ok("", "all of it")],
        close: true,
        want: { status: 200, statusText: "OK", headers: [], body: "all of it", ended: true, keepAlive: false }
      }
    ],
    [
      "reads no body for HEAD, whatever Content-Length says",
      {
        given: [ok("Content-Length: 5\r\n")],
        method: "HEAD",
        want: {
          status: 200,
          statusText: "OK",
          headers: ["Content-Length", "5"],
          body: "",
          ended: true,
          keepAlive: true
        }
      }
    ],
    [
      "reads no body for 204 and 304",
      {
        given: ["HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"],
        want: {
          status: 304,
          statusText: "Not Modified",
          headers: ["ETag", "x"],
          body: "",
          ended: true,
          keepAlive: true
        }
      }
    ],
    [
      "skips interim 1xx answers",
      {
        given: [
          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
          ok("Content-Length: 1\r\n", "x")
        ],
        want: {
          status: 200,
          statusText: "OK",
          headers: ["Content-Length", "1"],
          body: "x",
          ended: true,
          keepAlive: true
        }
      }
    ],
    [
      "honours Connection: close",
      {
        given: [ok("Connection: close\r\nContent-Length: 0\r\n")],
        want: {
          status: 200,
          statusText: "OK",
          headers: ["Connection", "close", "Content-Length", "0"],
          body: "",
          ended: true,
          keepAlive: false
        }
      }
    ],
    [
      "keeps an HTTP/1.0 connection only when asked to",
      {
        given: ["HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"],
        want: {
          status: 200,
          statusText: "OK",
          headers: ["Connection", "keep-alive", "Content-Length", "0"],
          body: "",
          ended: true,
          keepAlive: true
        }
      }
    ],
    [
      "accepts a repeated Content-Length with one value, and a status line without a reason",
      {
        given: ["HTTP/1.1 201\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nhi"],
        want: {
          status: 201,
          statusText: "",
          headers: ["Content-Length", "2, 2", "Content-Length", "2"],
          body: "hi",
          ended: true,
          keepAlive: true
        }
      }
    ]
  ])("%s", (_, { given, method, close, want }) => {
    expect(parse(given, method, close)).toEqual(want)
  })

  it("reads the Keep-Alive timeout hint", () => {
    const parser = new ResponseParser({ onHead: () => {}, onBody: () => {}, onEnd: () => {} })
    parser.expect("GET")
    expect(parser.feed(Buffer.from(ok("Keep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n")))).toBeUndefined()
    expect(parser.keepAliveHint).toBe(5)
  })

  it("reads consecutive responses on one connection after each expect", () => {
    const bodies: Array<string> = []
    const parser = new ResponseParser({
      onHead: () => {},
      onBody: (c) => bodies.push(c.toString()),
      onEnd: () => {}
    })
    for (const body of ["one", "two"]) {
      parser.expect("GET")
      expect(parser.busy).toBe(true)
      expect(parser.feed(Buffer.from(ok(`Content-Length: ${body.length}\r\n`, body)))).toBeUndefined()
      expect(parser.busy).toBe(false)
    }
    expect(bodies).toEqual(["one", "two"])
  })
})

describe("ResponseParser refusals", () => {
  it.each<[string, { given: ReadonlyArray<string>; close?: boolean; maxHead?: number; error: string }]>([
    ["a malformed status line", { given: ["HTTP/2 200 OK\r\n\r\n"], error: "malformed status line" }],
    ["a status out of range", { given: ["HTTP/1.1 99 Low\r\n\r\n"], error: "malformed status line" }],
    ["a header line without a colon", { given: [ok("Bad header\r\n")], error: "malformed header line" }],
    ["space before the colon", { given: [ok("Content-Length : 1\r\n", "x")], error: "malformed header name" }],
    ["an obs-fold continuation", { given: [ok("X-A: 1\r\n  folded\r\n")], error: "malformed header line" }],
    ["a bare LF inside a header value", { given: [ok("X-A: 1\nX-B: 2\r\n")], error: "malformed header value" }],
    [
      "duplicate Content-Length with different values",
      {
        given: [ok("Content-Length: 1\r\nContent-Length: 2\r\n", "x")],
        error: "duplicate Content-Length with different values"
      }
    ],
    [
      "a Content-Length that is no number",
      { given: [ok("Content-Length: -1\r\n")], error: "malformed Content-Length" }
    ],
    [
      "Content-Length together with Transfer-Encoding",
      {
        given: [ok("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")],
        error: "both Content-Length and Transfer-Encoding"
      }
    ],
    [
      "a transfer coding other than chunked",
      { given: [ok("Transfer-Encoding: gzip, chunked\r\n")], error: "unsupported Transfer-Encoding" }
    ],
    [
      "a bad chunk size",
      { given: [ok("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n")], error: "malformed chunk size" }
    ],
    [
      "chunk data longer than its size",
      { given: [ok("Transfer-Encoding: chunked\r\n", "2\r\nabc\r\n")], error: "missing CRLF after chunk data" }
    ],
    [
      "a head larger than the bound",
      { given: [ok(`X-Big: ${"a".repeat(200)}\r\n`)], maxHead: 128, error: "response head too large" }
    ],
    [
      "a head that never ends, in pieces",
      {
        given: ["HTTP/1.1 200 OK\r\n", `X-Big: ${"a".repeat(100)}`, "a".repeat(100)],
        maxHead: 128,
        error: "response head too large"
      }
    ],
    [
      "101 Switching Protocols",
      { given: ["HTTP/1.1 101 Switching Protocols\r\n\r\n"], error: "unexpected 101 Switching Protocols" }
    ],
    [
      "bytes after the complete response",
      { given: [ok("Content-Length: 1\r\n", "xHTTP/1.1 200 OK\r\n")], error: "data outside a response" }
    ],
    [
      "a truncated body at end of stream",
      {
        given: [ok("Content-Length: 10\r\n", "short")],
        close: true,
        error: "the upstream closed the connection before the response was complete"
      }
    ]
  ])("refuses %s", (_, { given, close, maxHead, error }) => {
    expect(parse(given, "GET", close, maxHead).error).toBe(error)
  })

  it("returns the refusal as an InvalidResponse, never throws", () => {
    const parser = new ResponseParser({ onHead: () => {}, onBody: () => {}, onEnd: () => {} })
    parser.expect("GET")
    const error = parser.feed(Buffer.from("garbage\r\n\r\n"))
    expect(error).toBeInstanceOf(InvalidResponse)
    expect(error?.message).toBe("invalid upstream response: malformed status line")
  })

  it("stops the feed under way when asked from an event", () => {
    let bodies = 0
    const parser: ResponseParser = new ResponseParser({
      onHead: () => parser.stop(),
      onBody: () => {
        bodies += 1
      },
      onEnd: () => {}
    })
    parser.expect("GET")
    expect(parser.feed(Buffer.from(ok("Content-Length: 5\r\n", "hello")))).toBeUndefined()
    expect(bodies).toBe(0)
    expect(parser.busy).toBe(false)
  })
})

describe("ResponseParser with any split of the bytes", () => {
  const header = fc.tuple(
    fc
      .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/)
      .filter((n) => !/^(content-length|transfer-encoding|connection|keep-alive)$/i.test(n)),
    fc.stringMatching(/^[!-~]([ -~]{0,18}[!-~])?$/)
  )
  const message = fc.record({
    status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
    headers: fc.array(header, { maxLength: 6 }),
    body: fc.uint8Array({ maxLength: 300 }),
    framing: fc.constantFrom("length", "chunked", "close"),
    chunkSizes: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 })
  })

  type MessageShape = typeof message extends fc.Arbitrary<infer T> ? T : never
  /** The bytes of a response and what parsing them must give. */
  const encode = (m: MessageShape): { bytes: Buffer; want: Parsed } => {
    const body = Buffer.from(m.body)
    const raw = m.headers.flat()
    let payload = body
    if (m.framing === "length") raw.push("Content-Length", String(body.length))
    if (m.framing === "chunked") {
      raw.push("Transfer-Encoding", "chunked")
      const parts: Array<Buffer> = []
      let at = 0
      for (let i = 0; at < body.length; i++) {
        const size = Math.min(m.chunkSizes[i % m.chunkSizes.length]!, body.length - at)
        parts.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(at, at + size), Buffer.from("\r\n"))
        at += size
      }
      parts.push(Buffer.from("0\r\nX-Trailer: t\r\n\r\n"))
      payload = Buffer.concat(parts)
    }
    let head = `HTTP/1.1 ${m.status} Some Reason\r\n`
    for (let i = 0; i < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`
    return {
      bytes: Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), payload]),
      want: {
        status: m.status,
        statusText: "Some Reason",
        headers: raw,
        body: body.toString("latin1"),
        ended: true,
        keepAlive: m.framing !== "close"
      }
    }
  }

  it("parses the same whatever the chunks the bytes arrive in", () => {
    fc.assert(
      fc.property(message, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), (m, cuts) => {
        const { bytes, want } = encode(m)
        const pieces: Array<Buffer> = []
        let at = 0
        for (let i = 0; at < bytes.length; i++) {
          const size = cuts[i % cuts.length]!
          pieces.push(bytes.subarray(at, at + size))
          at += size
        }
        expect(parse(pieces, "GET", m.framing === "close")).toEqual(want)
        expect(parse([bytes], "GET", m.framing === "close")).toEqual(want)
      }),
      { numRuns: 300 }
    )
  })

  it("refuses a head with a control character, DEL, or a bare CR or LF anywhere in it", () => {
    const forbidden = fc.constantFrom(...Array.from({ length: 32 }, (_, c) => c).filter((c) => c !== 9), 127)
    fc.assert(
      fc.property(message, forbidden, fc.nat(), (m, code, at) => {
        const { bytes } = encode(m)
        // Anywhere in the status line or a header line (between a line's CR and LF too), up to the
        // CRLF CRLF that ends the head, which stays whole.
        const cut = at % (bytes.indexOf("\r\n\r\n") + 1)
        const given = Buffer.concat([bytes.subarray(0, cut), Buffer.from([code]), bytes.subarray(cut)])
        expect(parse([given], "GET", m.framing === "close").error).toBeDefined()
      }),
      { numRuns: 500 }
    )
  })

  it("never throws on arbitrary bytes: a result or a refusal", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 50 }), (bytes, cut) => {
        const buffer = Buffer.concat([Buffer.from("HTTP/1.1 200 OK\r\n"), Buffer.from(bytes)])
        const pieces: Array<Buffer> = []
        for (let at = 0; at < buffer.length; at += cut) pieces.push(buffer.subarray(at, at + cut))
        const result = parse(pieces, "GET", true)
        expect(result.error === undefined || typeof result.error === "string").toBe(true)
      }),
      { numRuns: 300 }
    )
  })
})
