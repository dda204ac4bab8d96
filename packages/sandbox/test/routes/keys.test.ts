import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Sandbox, startSandbox } from "../../src/Sandbox.js"
import { call, mint } from "../support.js"

const verifyWith = async (key: CryptoKey, token: string) => {
  const [header, payload, signature] = token.split(".") as [string, string, string]
  return crypto.subtle.verify(
    "RSASSA-PKCS1-v1_5",
    key,
    Buffer.from(signature, "base64url"),
    Buffer.from(`${header}.${payload}`)
  )
}

describe("the public key", () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox()
  })
  afterAll(() => sandbox?.stop())

  it("is served as a JWKS that WebCrypto imports and verifies a token with", async () => {
    const answer = await call(`${sandbox.url}/.well-known/jwks.json`)
    expect([answer.status, answer.headers.get("content-type"), answer.body]).toEqual([
      200,
      "application/json",
      sandbox.jwks
    ])
    const jwk = (answer.body as { keys: Array<JsonWebKey> }).keys[0] ?? {}
    const key = await crypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify"
    ])
    expect(await verifyWith(key, await mint(sandbox.url))).toBe(true)
  })

  it("is served as PEM that WebCrypto imports (SPKI) and verifies a token with", async () => {
    const answer = await call(`${sandbox.url}/_sandbox/public-key.pem`)
    expect([answer.status, answer.headers.get("content-type"), answer.text]).toEqual([
      200,
      "application/x-pem-file",
      sandbox.publicKeyPem
    ])
    const der = Buffer.from(answer.text.replace(/-----[A-Z ]+-----|\s/g, ""), "base64")
    const key = await crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify"
    ])
    expect(await verifyWith(key, await mint(sandbox.url))).toBe(true)
  })

  it("answers HEAD without a body and refuses POST with 405", async () => {
    const head = await call(`${sandbox.url}/.well-known/jwks.json`, { method: "HEAD" })
    expect([head.status, head.text]).toEqual([200, ""])
    const post = await call(`${sandbox.url}/.well-known/jwks.json`, { method: "POST" })
    expect([post.status, post.headers.get("allow"), post.body]).toEqual([
      405,
      "GET, HEAD",
      { error: "Method Not Allowed" }
    ])
  })
})
