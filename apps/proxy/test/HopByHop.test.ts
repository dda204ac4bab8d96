import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { connectionNamed, hopByHop, requestHeaders, responseHeaders } from "../src/HopByHop.js"

const names = (raw: ReadonlyArray<string>) => raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())

/** Header names in any case: every name the rules drop, lengths shared with them, and others. */
const anyCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(""))
const headerName = fc.oneof(
  fc.constantFrom(...hopByHop, "host", "token", "apikey", "secretkey", "expect", "x-api-token").chain(anyCase),
  // Same lengths as dropped names (10: connection, 7: upgrade, 2: te, 4: host), kept.
  fc.constantFrom("x-trace-id", "x-agent", "tz", "date", "accept"),
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,20}$/)
)
const headerValue = fc.oneof(
  fc.stringMatching(/^[ -~]{0,20}$/),
  fc.array(headerName, { maxLength: 3 }).map((list) => list.join(", "))
)
const headerPairs = fc.array(fc.tuple(headerName, headerValue), { maxLength: 16 })
const tokenHeaderName = fc.constantFrom("token", "x-api-token", "te-token", "authorization")

/** The rule as stated: keep a header unless its lower-case name is in `dropped` or named in Connection. */
const keptByRule = (pairs: ReadonlyArray<[string, string]>, dropped: (lower: string) => boolean) => {
  const named = connectionNamed(pairs.flat()) ?? new Set<string>()
  return pairs.filter(([n]) => !dropped(n.toLowerCase()) && !named.has(n.toLowerCase())).flat()
}

describe("requestHeaders", () => {
  it.each([
    [
      "replaces Host and the client's token, keeps end-to-end headers in order",
      {
        given: ["Host", "client", "Accept", "*/*", "Token", "mine", "X-A", "1"],
        want: ["Accept", "*/*", "X-A", "1", "host", "up:8443", "token", "jwt"],
        clientToken: true
      }
    ],
    [
      "drops hop-by-hop and Connection-named headers",
      {
        given: ["Connection", "keep-alive, X-Hop", "X-Hop", "1", "TE", "trailers", "Upgrade", "h2c", "X-B", "2"],
        want: ["X-B", "2", "host", "up:8443", "token", "jwt"],
        clientToken: false
      }
    ],
    [
      "drops credential headers whatever their case",
      {
        given: ["APIKEY", "k", "secretKey", "s", "X-C", "3"],
        want: ["X-C", "3", "host", "up:8443", "token", "jwt"],
        clientToken: false
      }
    ]
  ])("%s", (_, { given, want, clientToken }) => {
    expect(requestHeaders(given, "up:8443", "token", "jwt")).toEqual({ headers: want, clientToken })
  })

  it("leaves body framing and Expect to the upstream client", () => {
    expect(
      requestHeaders(["Transfer-Encoding", "chunked", "Expect", "100-continue"], "up", "token", "jwt").headers
    ).toEqual(["host", "up", "token", "jwt"])
  })

  it("uses the configured token header name", () => {
    expect(requestHeaders(["X-Api-Token", "mine"], "up", "x-api-token", "jwt")).toEqual({
      headers: ["host", "up", "x-api-token", "jwt"],
      clientToken: true
    })
  })

  it("for any headers: exactly one Host and one token (the proxy's), no hop-by-hop or Connection-named one", () => {
    const name = fc.oneof(
      fc.constantFrom(...hopByHop, "host", "Host", "token", "TOKEN", "apikey", "x-named", "X-Other"),
      fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,12}$/)
    )
    // Values are free text or lists of names, so that Connection headers name headers that are present.
    const value = fc.oneof(
      fc.stringMatching(/^[ -~]{0,20}$/),
      fc.array(name, { maxLength: 4 }).map((names) => names.join(", "))
    )
    const raw = fc.array(fc.tuple(name, value), { maxLength: 20 })
    fc.assert(
      fc.property(raw, (pairs) => {
        const given = pairs.flat()
        const named = connectionNamed(given) ?? new Set<string>()
        const { headers } = requestHeaders(given, "up:1", "token", "jwt")
        const sent = names(headers)
        expect(sent.filter((n) => n === "host")).toHaveLength(1)
        expect(sent.filter((n) => n === "token")).toHaveLength(1)
        expect(headers.slice(-4)).toEqual(["host", "up:1", "token", "jwt"])
        // The client's own headers (all but the proxy's Host and token, which always go).
        for (const n of sent.slice(0, -2)) {
          expect(hopByHop.has(n)).toBe(false)
          expect(named.has(n)).toBe(false)
          expect(["apikey", "secretkey", "expect"]).not.toContain(n)
        }
      })
    )
  })
})

describe("requestHeaders and responseHeaders keep exactly what the rules keep", () => {
  it("requestHeaders: every other client header, in order, whatever the case of names", () => {
    fc.assert(
      fc.property(headerPairs, tokenHeaderName, (pairs, tokenHeader) => {
        const dropped = (n: string) =>
          n === tokenHeader || n === "host" || hopByHop.has(n) || ["apikey", "secretkey", "expect"].includes(n)
        const { headers, clientToken } = requestHeaders(pairs.flat(), "up:1", tokenHeader, "jwt")
        expect(headers).toEqual([...keptByRule(pairs, dropped), "host", "up:1", tokenHeader, "jwt"])
        expect(clientToken).toBe(pairs.some(([n]) => n.toLowerCase() === tokenHeader))
      }),
      { numRuns: 500 }
    )
  })

  it("responseHeaders: every other upstream header, in order, whatever the case of names", () => {
    fc.assert(
      fc.property(headerPairs, tokenHeaderName, (pairs, tokenHeader) => {
        const dropped = (n: string) => n === tokenHeader || hopByHop.has(n)
        expect(responseHeaders(pairs.flat(), tokenHeader)).toEqual(keptByRule(pairs, dropped))
      }),
      { numRuns: 500 }
    )
  })
})

describe("responseHeaders", () => {
  it("drops hop-by-hop and Connection-named headers, keeps the rest in order", () => {
    expect(
      responseHeaders([
        "Content-Type",
        "text/plain",
        "Connection",
        "close, X-Internal",
        "X-Internal",
        "1",
        "Keep-Alive",
        "timeout=5",
        "Transfer-Encoding",
        "chunked",
        "Proxy-Authenticate",
        "Basic",
        "Set-Cookie",
        "a=1",
        "Set-Cookie",
        "b=2"
      ])
    ).toEqual(["Content-Type", "text/plain", "Set-Cookie", "a=1", "Set-Cookie", "b=2"])
  })

  it("drops a header named like the token header, in any case, so the upstream's token never reaches the client", () => {
    expect(responseHeaders(["TOKEN", "jwt", "X-A", "1", "token", "jwt"], "token")).toEqual(["X-A", "1"])
    expect(responseHeaders(["X-Ipos-Token", "jwt", "Token", "kept"], "x-ipos-token")).toEqual(["Token", "kept"])
  })
})

describe("connectionNamed", () => {
  it("collects names from every Connection header, lower case, and is undefined without one", () => {
    expect(connectionNamed(["connection", "A, b", "Connection", " C ,"])).toEqual(new Set(["a", "b", "c"]))
    expect(connectionNamed(["X", "1"])).toBeUndefined()
    expect(connectionNamed(["Connection", "keep-alive"])).toBeUndefined()
    expect(connectionNamed([Buffer.from("Connection"), Buffer.from("X-Y")])).toEqual(new Set(["x-y"]))
  })
})
