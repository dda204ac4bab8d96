import { namedExamples } from "@ipos/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { authErrorMessages } from "../../src/AuthErrors.js"
import { type Sandbox, startSandbox } from "../../src/Sandbox.js"
import { claimsOf, manualClock, merchant, mint, refresh } from "../support.js"

const refused = (code: keyof typeof authErrorMessages) => ({ errorCode: code, errorMessage: authErrorMessages[code] })
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const vendorSample = namedExamples().find((e) => e.name === "Success")?.value.token ?? ""

describe("POST /v1/refresh-token", () => {
  const clock = manualClock()
  let sandbox: Sandbox
  let strict: Sandbox
  let other: Sandbox
  beforeAll(async () => {
    ;[sandbox, strict, other] = await Promise.all([
      startSandbox({ now: clock.now }),
      startSandbox({ now: clock.now, refreshExpired: false, errorStatus: 400 }),
      startSandbox()
    ])
  })
  afterAll(() => Promise.all([sandbox?.stop(), strict?.stop(), other?.stop()]))

  it("issues a new token with the same uniqueId and scope, a new iat and the same lifetime", async () => {
    clock.set(Date.parse("2026-03-01T12:00:00.000Z"))
    const first = await mint(sandbox.url, { ...merchant, scope: "BatchReport", jwtTokenExpiryMinutes: "60" })
    clock.advance(90_000)
    const answer = await refresh(sandbox.url, { refreshToken: "true", token: first })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ responseCode: "00", responseMessage: "Success", createdDt: "1772366490000" })
    const before = claimsOf(first)
    const after = claimsOf((answer.body as { token: string }).token)
    expect(after).toEqual({
      scope: "batchReport",
      uniqueId: before.uniqueId,
      iat: before.iat + 90,
      exp: before.exp + 90
    })
    expect(after.exp - after.iat).toBe(3600)
  })

  it("refreshes a refreshed token, and still the first one (the vendor does not say it is spent)", async () => {
    const first = await mint(sandbox.url)
    const second = ((await refresh(sandbox.url, { refreshToken: "true", token: first })).body as { token: string })
      .token
    const third = await refresh(sandbox.url, { refreshToken: "true", token: second })
    const again = await refresh(sandbox.url, { refreshToken: "true", token: first })
    expect(claimsOf((third.body as { token: string }).token).uniqueId).toBe(claimsOf(first).uniqueId)
    expect(again.status).toBe(200)
  })

  it("refreshes a token expired days ago, as in the vendor's own example", async () => {
    const token = await mint(sandbox.url, { ...merchant, jwtTokenExpiryMinutes: "30" })
    clock.advance(3 * 86_400_000)
    const answer = await refresh(sandbox.url, { refreshToken: "true", token })
    expect(claimsOf((answer.body as { token: string }).token).exp).toBe(claimsOf(token).exp + 3 * 86_400)
  })

  it("with refreshExpired: false, refreshes until exp and refuses from exp on with AUTH_ERR_007", async () => {
    clock.set(Date.parse("2026-03-01T12:00:00.000Z"))
    const token = await mint(strict.url, { ...merchant, jwtTokenExpiryMinutes: "30" })
    clock.advance(1_799_999)
    expect((await refresh(strict.url, { refreshToken: "true", token })).status).toBe(200)
    clock.advance(1)
    expect(await refresh(strict.url, { refreshToken: "true", token })).toMatchObject({
      status: 400,
      body: refused("AUTH_ERR_007")
    })
  })

  it("gives the refreshed token the lifetime override when one is set", async () => {
    const token = await mint(sandbox.url)
    sandbox.setFaults({ tokenLifetimeSeconds: 5 })
    const answer = await refresh(sandbox.url, { refreshToken: "true", token })
    sandbox.clearFaults()
    const claims = claimsOf((answer.body as { token: string }).token)
    expect(claims.exp - claims.iat).toBe(5)
  })

  it("gives the minutes first asked for again once the override is cleared", async () => {
    sandbox.setFaults({ tokenLifetimeSeconds: 5 })
    const token = await mint(sandbox.url, { ...merchant, jwtTokenExpiryMinutes: "45" })
    sandbox.clearFaults()
    expect(claimsOf(token).exp - claimsOf(token).iat).toBe(5)
    const answer = await refresh(sandbox.url, { refreshToken: "true", token })
    const claims = claimsOf((answer.body as { token: string }).token)
    expect(claims.exp - claims.iat).toBe(2700)
  })

  it.each<[string, () => Promise<Record<string, string>>, keyof typeof authErrorMessages]>([
    ["no refreshToken header", async () => ({ token: await mint(sandbox.url) }), "AUTH_ERR_009"],
    ["refreshToken: false", async () => ({ refreshToken: "false", token: await mint(sandbox.url) }), "AUTH_ERR_009"],
    ["refreshToken: yes", async () => ({ refreshToken: "yes", token: await mint(sandbox.url) }), "AUTH_ERR_009"],
    ["no refreshToken and no token", async () => ({}), "AUTH_ERR_009"],
    ["no token", async () => ({ refreshToken: "true" }), "AUTH_ERR_006"],
    ["an empty token", async () => ({ refreshToken: "true", token: "" }), "AUTH_ERR_006"],
    ["a token that is not a JWT", async () => ({ refreshToken: "true", token: "not-a-jwt" }), "AUTH_ERR_006"],
    [
      "a JWT-shaped token that is not JSON",
      async () => ({ refreshToken: "true", token: "abc.def.ghi" }),
      "AUTH_ERR_006"
    ],
    ["the vendor's sample token", async () => ({ refreshToken: "true", token: vendorSample }), "AUTH_ERR_008"],
    [
      "a token of another sandbox",
      async () => ({ refreshToken: "true", token: await mint(other.url) }),
      "AUTH_ERR_008"
    ],
    [
      "a token with a forged payload",
      async () => {
        const [header, , signature] = (await mint(sandbox.url)).split(".")
        const forged = b64({ scope: "externalApi", uniqueId: "00000000-0000-4000-8000-000000000000", iat: 1, exp: 2 })
        return { refreshToken: "true", token: `${header}.${forged}.${signature}` }
      },
      "AUTH_ERR_008"
    ],
    [
      "a revoked token",
      async () => {
        const token = await mint(sandbox.url)
        sandbox.revoke(claimsOf(token).uniqueId)
        return { refreshToken: "true", token }
      },
      "AUTH_ERR_007"
    ]
  ])("refuses %s with %s", async (_, given, code) => {
    expect(await refresh(sandbox.url, await given())).toMatchObject({ status: 200, body: refused(code) })
  })

  it("accepts refreshToken: TRUE in any case", async () => {
    expect((await refresh(sandbox.url, { refreshToken: "TRUE", token: await mint(sandbox.url) })).status).toBe(200)
  })

  it("refuses a token it no longer knows after a reset with AUTH_ERR_007", async () => {
    const token = await mint(strict.url)
    strict.reset()
    expect(await refresh(strict.url, { refreshToken: "true", token })).toMatchObject({
      status: 400,
      body: refused("AUTH_ERR_007")
    })
  })
})
