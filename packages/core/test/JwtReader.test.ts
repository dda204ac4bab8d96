import { describe, expect, it } from "vitest"
import { isExpired, readJwt } from "../src/JwtReader.js"

// The plain reader behind decodeJwt: data in, data out, no Effect.
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

describe("readJwt", () => {
  it("reads header, claims, times in ms, the claim scope and a fingerprint", () => {
    const token = `${b64({ alg: "RS256" })}.${b64({ scope: "paymentTokenize", iat: 10, exp: 70 })}.abcdefghij`
    expect(readJwt(token)).toEqual({
      header: { alg: "RS256" },
      claims: { scope: "paymentTokenize", iat: 10, exp: 70 },
      issuedAt: 10_000,
      expiresAt: 70_000,
      claimScope: "paymentTokenize",
      fingerprint: "…efghij",
      verified: false
    })
  })

  it.each([
    ["a.b", { problem: true, reason: "segments", detail: "expected 3 segments, got 2" }],
    [`%%%.${b64({})}.x`, { problem: true, reason: "header", detail: "the header is not base64url JSON" }],
    [`${b64({})}.${b64([1])}.x`, { problem: true, reason: "claims", detail: "the claims are not base64url JSON" }]
  ])("explains why %j is not a JWT", (token, problem) => {
    expect(readJwt(token)).toEqual(problem)
  })

  it("counts a token as expired from exp on, and without exp", () => {
    const jwt = readJwt(`${b64({})}.${b64({ exp: 100 })}.x`)
    const none = readJwt(`${b64({})}.${b64({})}.x`)
    if ("problem" in jwt || "problem" in none) throw new Error("fixtures must decode")
    expect([isExpired(jwt, 99_999), isExpired(jwt, 100_000), isExpired(none, 0)]).toEqual([false, true, true])
  })
})
