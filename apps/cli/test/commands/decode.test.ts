import { describe, expect, it } from "vitest"
import { decode } from "../../src/commands/decode.js"

// `decode` as a function of (token, now): exact output for people and for scripts.
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: "RS256" })}.${b64(claims)}.c2lnbmF0dXJl`
const iat = 1_744_807_702
const vendorLike = jwt({
  scope: "paymentTokenize",
  uniqueId: "741c1b3f-152a-11f0-b7a3-16a97560b275",
  iat,
  exp: iat + 86_400
})

describe("decode", () => {
  it("prints header, claims, times in ISO-8601 and words, expiry and the unverified signature", () => {
    expect(decode({ command: "decode", jwt: vendorLike, json: false }, (iat + 3_600) * 1000)).toEqual({
      ok: true,
      stdout: [
        'header     {"alg":"RS256"}',
        'claims     {"scope":"paymentTokenize","uniqueId":"741c1b3f-152a-11f0-b7a3-16a97560b275","iat":1744807702,"exp":1744894102}',
        "issued     2025-04-16T12:48:22.000Z (1 hour ago)",
        "expires    2025-04-17T12:48:22.000Z (in 23 hours)",
        "expired    no",
        "signature  not verified: iPOSpays publishes no public key, so these claims are unchecked",
        ""
      ].join("\n")
    })
  })

  it("prints {header, claims, issuedAt, expiresAt, expired} with --json", () => {
    const outcome = decode({ command: "decode", jwt: vendorLike, json: true }, (iat + 90_000) * 1000)
    expect(outcome.ok && JSON.parse(outcome.stdout)).toEqual({
      header: { alg: "RS256" },
      claims: { scope: "paymentTokenize", uniqueId: "741c1b3f-152a-11f0-b7a3-16a97560b275", iat, exp: iat + 86_400 },
      issuedAt: "2025-04-16T12:48:22.000Z",
      expiresAt: "2025-04-17T12:48:22.000Z",
      expired: true
    })
  })

  it("says so when a token has no exp", () => {
    const outcome = decode({ command: "decode", jwt: jwt({ scope: "x" }), json: true }, 0)
    expect(outcome.ok && JSON.parse(outcome.stdout)).toMatchObject({ issuedAt: null, expiresAt: null, expired: null })
  })

  it.each([
    [{ scope: "x" }, "unknown (no exp claim)"],
    [{ scope: "x", exp: "soon" }, "unknown (exp is not a time)"]
  ])("says why expiry is unknown for claims %j", (claims, line) => {
    const outcome = decode({ command: "decode", jwt: jwt(claims), json: false }, 0)
    expect(outcome.ok && outcome.stdout.split("\n").find((l) => l.startsWith("expired"))).toBe(`expired    ${line}`)
  })

  // `exp` in microseconds: beyond what Date holds (toISOString threw, and the CLI said "internal error").
  const absurd = jwt({ scope: "paymentTokenize", iat, exp: (iat + 86_400) * 1_000_000 })

  it("prints an exp that is no time as invalid, and expiry as unknown", () => {
    const outcome = decode({ command: "decode", jwt: absurd, json: false }, (iat + 3_600) * 1000)
    expect(outcome.ok && outcome.stdout.split("\n").slice(2, 5)).toEqual([
      "issued     2025-04-16T12:48:22.000Z (1 hour ago)",
      "expires    invalid (1744894102000000 is not a time in seconds since the epoch)",
      "expired    unknown (exp is not a time)"
    ])
  })

  it("gives expiresAt and expired as null with --json for an exp or iat that is no time", () => {
    const outcome = decode({ command: "decode", jwt: absurd, json: true }, 0)
    expect(outcome.ok && JSON.parse(outcome.stdout)).toMatchObject({
      issuedAt: "2025-04-16T12:48:22.000Z",
      expiresAt: null,
      expired: null
    })
    const both = decode({ command: "decode", jwt: jwt({ iat: 1e300, exp: -1e300 }), json: true }, 0)
    expect(both.ok && JSON.parse(both.stdout)).toMatchObject({ issuedAt: null, expiresAt: null, expired: null })
  })

  it.each([
    ["", 'no token to decode: pipe it on stdin (echo "$TOKEN" | ipos-auth decode)'],
    ["garbage", "Not a JWT: expected 3 segments, got 1"]
  ])("refuses %j with a clear message", (input, message) => {
    expect(decode({ command: "decode", jwt: input, json: false }, 0)).toEqual({ ok: false, message })
  })

  it("never prints the token itself", () => {
    const outcome = decode({ command: "decode", jwt: vendorLike, json: false }, 0)
    expect(outcome.ok && outcome.stdout.includes("c2lnbmF0dXJl")).toBe(false)
  })
})
