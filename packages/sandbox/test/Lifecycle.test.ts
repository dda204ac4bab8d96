import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Sandbox, startSandbox } from "../src/Sandbox.js"
import { call, claimsOf, merchant, refresh } from "./support.js"

// The whole life of a token on the real clock: mint, verify with the served key, refresh, use,
// and watch a short-lived token expire. Lifetime 2 s: `iat` is a whole second, so a token minted
// at the start of a second lives 2 s and one minted at its end still lives more than 1 s.
const lifetimeSeconds = 2
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
const nextSecond = () => sleep(1000 - (Date.now() % 1000) + 20)

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

describe("a token's life", () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ tokenLifetimeSeconds: lifetimeSeconds })
  })
  afterAll(() => sandbox?.stop())

  it("is minted, verified, refreshed under the same uniqueId with a later exp, used, and expires", async () => {
    await nextSecond()
    const minted = await call(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers: merchant })
    const token = (minted.body as { token: string }).token
    expect(await verify(sandbox, token)).toBe(true)
    const claims = claimsOf(token)
    expect(claims.exp - claims.iat).toBe(lifetimeSeconds)
    expect((await call(`${sandbox.url}/api/charge`, { headers: { token } })).status).toBe(200)

    await nextSecond()
    const refreshed = await refresh(sandbox.url, { refreshToken: "true", token })
    const renewed = (refreshed.body as { token: string }).token
    expect(await verify(sandbox, renewed)).toBe(true)
    const renewedClaims = claimsOf(renewed)
    expect(renewedClaims.uniqueId).toBe(claims.uniqueId)
    expect(renewedClaims.scope).toBe("paymentTokenize")
    expect(renewedClaims.exp).toBeGreaterThan(claims.exp)
    expect((await call(`${sandbox.url}/api/charge`, { headers: { token: renewed } })).status).toBe(200)

    await sleep(renewedClaims.exp * 1000 - Date.now() + 20)
    expect(await call(`${sandbox.url}/api/charge`, { headers: { token: renewed } })).toMatchObject({
      status: 401,
      body: { error: "Unauthorized", reason: "token-expired" }
    })
    expect((await call(`${sandbox.url}/api/charge`, { headers: { token } })).status).toBe(401)
  })
})
