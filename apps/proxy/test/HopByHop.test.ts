import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { connectionNamed, hopByHop, requestHeaders, responseHeaders } from "../src/HopByHop.js"

const names = (raw: ReadonlyArray<string>) => raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())

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
