import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Sandbox, startSandbox } from "../src/Sandbox.js"
import { call, claimsOf, manualClock, merchant, refresh } from "./support.js"

// The whole life of a token, end to end over HTTP with real RS256 signatures, on an injected clock:
// mint, verify with the served key, refresh, use, and watch a short-lived token expire. Nothing
// sleeps; the clock moves only when the test moves it.
const lifetimeSeconds = 2
const start = Date.parse("2026-03-01T12:00:00.250Z")
const startSecond = Math.floor(start / 1000)

const verify = async (sandbox: Sandbox, token: string) => {
  const jwks = (await call(`${sandbox.url}/.well-known/jwks.json`)).body as { keys: Array<JsonWebKey> }
  const key = await crypto.subtle.importKey(
    "jwk",
    jwks.keys[0] ?? {},
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"]
  )
  const [header, payload, signature] = token.split(".") as [string, string, string]
  return crypto.subtle.verify(
    "RSASSA-PKCS1-v1_5",
    key,
    Buffer.from(signature, "base64url"),
    Buffer.from(`${header}.${payload}`)
  )
}

const use = (sandbox: Sandbox, token: string) => call(`${sandbox.url}/api/charge`, { headers: { token } })
const expired = { status: 401, body: { error: "Unauthorized", reason: "token-expired" } }

describe("a token's life", () => {
  const clock = manualClock(start)
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ tokenLifetimeSeconds: lifetimeSeconds, now: clock.now })
  })
  afterAll(() => sandbox?.stop())

  it("is minted, verified, refreshed under the same uniqueId with a later exp, used, and expires", async () => {
    const minted = await call(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers: merchant })
    expect(minted.body).toMatchObject({ responseCode: "00", createdDt: String(start) })
    const token = (minted.body as { token: string }).token
    expect(await verify(sandbox, token)).toBe(true)
    const claims = claimsOf(token)
    expect(claims).toEqual({
      scope: "paymentTokenize",
      uniqueId: claims.uniqueId,
      iat: startSecond,
      exp: startSecond + lifetimeSeconds
    })
    expect((await use(sandbox, token)).status).toBe(200)

    clock.advance(1000)
    const refreshed = await refresh(sandbox.url, { refreshToken: "true", token })
    expect(refreshed.body).toMatchObject({ responseCode: "00", createdDt: String(start + 1000) })
    const renewed = (refreshed.body as { token: string }).token
    expect(await verify(sandbox, renewed)).toBe(true)
    expect(claimsOf(renewed)).toEqual({
      scope: "paymentTokenize",
      uniqueId: claims.uniqueId,
      iat: startSecond + 1,
      exp: startSecond + 1 + lifetimeSeconds
    })
    expect((await use(sandbox, renewed)).status).toBe(200)
    expect((await use(sandbox, token)).status).toBe(200)

    // The first token expires at its exp second; the renewed one lives one second longer.
    clock.set((startSecond + lifetimeSeconds) * 1000)
    expect(await use(sandbox, token)).toMatchObject(expired)
    expect((await use(sandbox, renewed)).status).toBe(200)

    clock.set((startSecond + 1 + lifetimeSeconds) * 1000 - 1)
    expect((await use(sandbox, renewed)).status).toBe(200)
    clock.advance(1)
    expect(await use(sandbox, renewed)).toMatchObject(expired)
    expect(await use(sandbox, token)).toMatchObject(expired)
    expect(sandbox.counters()).toMatchObject({
      requests: {
        "/v1/authenticate-token": 1,
        "/v1/refresh-token": 1,
        "/api": 8,
        "/.well-known/jwks.json": 2,
        other: 0
      },
      statuses: { "200": 9, "401": 3 },
      errors: {}
    })
  })
})
