import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Sandbox, startSandbox } from "../../src/Sandbox.js"
import { call, claimsOf, manualClock, merchant, mint, postControl } from "../support.js"

describe("the echo API /api/...", () => {
  const clock = manualClock()
  let sandbox: Sandbox
  let other: Sandbox
  beforeAll(async () => {
    ;[sandbox, other] = await Promise.all([startSandbox({ now: clock.now }), startSandbox()])
  })
  afterAll(() => Promise.all([sandbox?.stop(), other?.stop()]))

  it.each(["GET", "POST", "PUT", "PATCH", "DELETE"])(
    "serves %s with a valid token, echoing method, path and claims",
    async (method) => {
      const token = await mint(sandbox.url)
      const answer = await call(`${sandbox.url}/api/v3/iposTransact?x=1`, { method, headers: { token } })
      expect(answer).toMatchObject({
        status: 200,
        body: { method, path: "/api/v3/iposTransact", claims: claimsOf(token) }
      })
      expect(answer.text).not.toContain(token.split(".")[2])
    }
  )

  it("serves /api itself", async () => {
    const token = await mint(sandbox.url)
    expect((await call(`${sandbox.url}/api`, { headers: { token } })).status).toBe(200)
  })

  it("serves a refreshed token", async () => {
    const first = await mint(sandbox.url)
    const refreshed = await call(`${sandbox.url}/v1/refresh-token`, {
      method: "POST",
      headers: { refreshToken: "true", token: first }
    })
    const token = (refreshed.body as { token: string }).token
    expect((await call(`${sandbox.url}/api/x`, { headers: { token } })).status).toBe(200)
  })

  it.each<[string, () => Promise<Record<string, string>>, string]>([
    ["no token", async () => ({}), "token-missing"],
    ["an empty token", async () => ({ token: "" }), "token-missing"],
    ["garbage", async () => ({ token: "garbage" }), "token-malformed"],
    ["a token of another sandbox", async () => ({ token: await mint(other.url) }), "signature-invalid"],
    [
      "a token with a forged expiry",
      async () => {
        const [header, payload, signature] = (await mint(sandbox.url)).split(".") as [string, string, string]
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, number>
        const forged = Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp ?? 0) + 1 })).toString("base64url")
        return { token: `${header}.${forged}.${signature}` }
      },
      "signature-invalid"
    ],
    ["the apiKey in place of a token", async () => ({ token: merchant.apiKey }), "token-malformed"]
  ])("refuses %s with 401 %s", async (_, given, reason) => {
    expect(await call(`${sandbox.url}/api/x`, { headers: await given() })).toMatchObject({
      status: 401,
      body: { error: "Unauthorized", reason }
    })
  })

  it("accepts a token until the second before exp and refuses it from exp on", async () => {
    clock.set(Date.parse("2026-03-01T12:00:00.000Z"))
    const token = await mint(sandbox.url, { ...merchant, jwtTokenExpiryMinutes: "30" })
    clock.advance(1_799_999)
    expect((await call(`${sandbox.url}/api/x`, { headers: { token } })).status).toBe(200)
    clock.advance(1)
    expect(await call(`${sandbox.url}/api/x`, { headers: { token } })).toMatchObject({
      status: 401,
      body: { error: "Unauthorized", reason: "token-expired" }
    })
  })

  it("refuses a revoked token, every generation of it, and only it", async () => {
    clock.set(Date.parse("2026-03-01T12:00:00.000Z"))
    const [revoked, kept] = [await mint(sandbox.url), await mint(sandbox.url)]
    const refreshed = await call(`${sandbox.url}/v1/refresh-token`, {
      method: "POST",
      headers: { refreshToken: "true", token: revoked }
    })
    const answer = await postControl(
      `${sandbox.url}/_sandbox/revoke`,
      JSON.stringify({ uniqueId: claimsOf(revoked).uniqueId })
    )
    expect(answer.body).toEqual({ revoked: 1 })
    for (const token of [revoked, (refreshed.body as { token: string }).token]) {
      expect((await call(`${sandbox.url}/api/x`, { headers: { token } })).body).toEqual({
        error: "Unauthorized",
        reason: "token-revoked"
      })
    }
    expect((await call(`${sandbox.url}/api/x`, { headers: { token: kept } })).status).toBe(200)
  })

  it("revokes every issued token at once, and still serves tokens issued afterwards", async () => {
    clock.set(Date.parse("2026-03-01T12:00:00.000Z"))
    sandbox.reset()
    const before = [await mint(sandbox.url), await mint(sandbox.url)]
    const answer = await postControl(`${sandbox.url}/_sandbox/revoke`)
    expect(answer.body).toEqual({ revoked: 2 })
    for (const token of before) {
      expect((await call(`${sandbox.url}/api/x`, { headers: { token } })).body).toEqual({
        error: "Unauthorized",
        reason: "token-revoked"
      })
    }
    expect(sandbox.revoke()).toBe(0)
    const after = await mint(sandbox.url)
    expect((await call(`${sandbox.url}/api/x`, { headers: { token: after } })).status).toBe(200)
  })

  it("refuses a token it no longer knows after a reset as token-unknown", async () => {
    clock.set(Date.parse("2026-03-01T12:00:00.000Z"))
    const token = await mint(sandbox.url)
    sandbox.reset()
    expect((await call(`${sandbox.url}/api/x`, { headers: { token } })).body).toEqual({
      error: "Unauthorized",
      reason: "token-unknown"
    })
  })
})
