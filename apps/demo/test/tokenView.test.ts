import type { TokenInfo } from "@ipos/auth-core"
import { describe, expect, it } from "vitest"
import { barTimes, clockTime, tokenView } from "../src/tokenView.js"

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const iat = 1_767_225_600 // 2026-01-01T00:00:00Z
const token = `${b64({ alg: "RS256" })}.${b64({ scope: "paymentTokenize", uniqueId: "u-1", iat, exp: iat + 20 })}.c2lnbmF0dXJlXzEyMzQ1Ng`
const info: TokenInfo = {
  token,
  scope: "PaymentTokenization",
  fingerprint: "…MzQ1Ng",
  via: "authenticate",
  expiresAt: (iat + 20) * 1000,
  refreshAt: (iat + 12) * 1000,
  lifetimeMs: 20_000
}

describe("tokenView", () => {
  it("decodes header and claims, keeps the internal scope name and shows the token shortened", () => {
    const view = tokenView(info)
    expect(view).toMatchObject({
      short: `${token.slice(0, 12)}…MzQ1Ng`,
      fingerprint: "…MzQ1Ng",
      via: "authenticated",
      header: [["alg", "RS256"]],
      uniqueId: "u-1",
      issuedAt: iat * 1000,
      expiresAt: (iat + 20) * 1000,
      refreshAt: (iat + 12) * 1000
    })
    expect(view.claims.map(([name]) => name)).toEqual(["scope", "uniqueId", "iat", "exp"])
    expect(view.claims[0]).toEqual(["scope", "paymentTokenize"])
    expect(view.claims[2]?.[1]).toBe(`${iat} (${clockTime(iat * 1000)})`)
    expect(JSON.stringify(view).includes(token)).toBe(false)
  })

  it("shows no claims for a token it cannot read", () => {
    expect(tokenView({ ...info, token: "not-a-jwt", via: "refresh" })).toMatchObject({
      header: [],
      claims: [],
      uniqueId: undefined,
      via: "refreshed"
    })
  })

  it("ends the refresh window at the manager's last hand-out moment, or at expiry without one", () => {
    const view = tokenView(info)
    expect(barTimes(view, (iat + 19) * 1000).usableUntil).toBe((iat + 19) * 1000)
    expect(barTimes(view, undefined).usableUntil).toBe((iat + 20) * 1000)
  })
})

describe("clockTime", () => {
  it("is HH:MM:SS on a 24-hour clock", () => {
    expect(clockTime(Date.UTC(2026, 0, 1, 21, 5, 7), "UTC")).toBe("21:05:07")
  })
})
