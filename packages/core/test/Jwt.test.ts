import { describe, expect, it } from "@effect/vitest"
import { namedExamples } from "@ipos/testing"
import * as fc from "fast-check"
import { decodeJwt, fingerprint, isExpired, JwtDecodeError } from "../src/Jwt.js"
import { makeJwt } from "./support/FakeAuthServer.js"

const vendorToken = (name: string) => {
  const example = namedExamples().find((e) => e.name === name)
  if (example?.value.token === undefined) throw new Error(`no ${name} example`)
  return example.value.token
}

describe("Jwt", () => {
  it("decodes the vendor's sample token without verifying it", () => {
    const result = decodeJwt(vendorToken("Success"))
    expect(result._tag).toBe("Success")
    if (result._tag !== "Success") return
    expect(result.success.header).toEqual({ alg: "RS256" })
    expect(result.success.claims).toEqual({
      scope: "paymentTokenize",
      uniqueId: "741c1b3f-152a-11f0-b7a3-16a97560b275",
      iat: 1744807702,
      exp: 1744894102
    })
    expect(result.success.claimScope).toBe("paymentTokenize")
    expect(result.success.issuedAt).toBe(1744807702_000)
    expect(result.success.expiresAt).toBe(1744894102_000)
    expect(result.success.verified).toBe(false)
    expect(result.success.fingerprint).toBe("…Xpw4bw")
  })

  it("keeps the uniqueId across the vendor's refresh sample", () => {
    const a = decodeJwt(vendorToken("Success"))
    const b = decodeJwt(vendorToken("Refreshed"))
    if (a._tag !== "Success" || b._tag !== "Success") throw new Error("decode failed")
    expect(b.success.claims.uniqueId).toBe(a.success.claims.uniqueId)
    expect((b.success.expiresAt ?? 0) - (b.success.issuedAt ?? 0)).toBe(86_400_000)
  })

  it.each([
    ["one segment", "abc", "segments"],
    ["four segments", "a.b.c.d", "segments"],
    ["header not base64url JSON", "%%%.e30.sig", "header"],
    ["header is an array", `${Buffer.from("[1]").toString("base64url")}.e30.sig`, "header"],
    ["claims not JSON", `e30.${Buffer.from("nope").toString("base64url")}.sig`, "claims"],
    ["claims not UTF-8", `e30.${Buffer.from([0xff, 0xfe, 0xfd]).toString("base64url")}.sig`, "claims"]
  ])("refuses %s", (_, token, reason) => {
    const result = decodeJwt(token)
    expect(result._tag).toBe("Failure")
    if (result._tag !== "Failure") return
    expect(result.failure).toBeInstanceOf(JwtDecodeError)
    expect(result.failure.reason).toBe(reason)
    expect(result.failure.message).not.toContain(token)
  })

  it("treats non-numeric times as unreadable", () => {
    const result = decodeJwt(makeJwt({ iat: "yesterday", exp: null }))
    if (result._tag !== "Success") throw new Error("decode failed")
    expect(result.success.issuedAt).toBeUndefined()
    expect(result.success.expiresAt).toBeUndefined()
    expect(isExpired(result.success, 0)).toBe(true)
  })

  it("decides expiry at exp, with an optional skew", () => {
    const result = decodeJwt(makeJwt({ iat: 100, exp: 200 }))
    if (result._tag !== "Success") throw new Error("decode failed")
    expect(isExpired(result.success, 199_999)).toBe(false)
    expect(isExpired(result.success, 200_000)).toBe(true)
    expect(isExpired(result.success, 199_000, 1000)).toBe(true)
  })

  it("fingerprints with the last 6 characters of the signature only", () => {
    expect(fingerprint("aaa.bbb.signature123456")).toBe("…123456")
    expect(fingerprint("opaque-token-abcdef")).toBe("…abcdef")
  })

  it("round-trips any claims (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          scope: fc.string(),
          uniqueId: fc.uuid(),
          iat: fc.integer({ min: 0, max: 2 ** 31 }),
          exp: fc.integer({ min: 0, max: 2 ** 31 }),
          note: fc.string({ unit: "grapheme" })
        }),
        (claims) => {
          const result = decodeJwt(makeJwt(claims))
          return (
            result._tag === "Success" &&
            JSON.stringify(result.success.claims) === JSON.stringify(claims) &&
            result.success.expiresAt === claims.exp * 1000
          )
        }
      )
    )
  })

  it("never throws, whatever the input (property)", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = decodeJwt(text)
        return result._tag === "Success" || result._tag === "Failure"
      })
    )
  })
})
