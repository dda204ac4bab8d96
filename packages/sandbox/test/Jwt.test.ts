import { createHash, createPublicKey, verify } from "node:crypto"
import { namedExamples } from "@ipos/testing"
import fc from "fast-check"
import { beforeAll, describe, expect, it } from "vitest"
import { checkToken, generateSigningKey, type SigningKey, signToken, type TokenClaims } from "../src/Jwt.js"

const claims: TokenClaims = {
  scope: "paymentTokenize",
  uniqueId: "741c1b3f-152a-11f0-b7a3-16a97560b275",
  iat: 1744807702,
  exp: 1744894102
}
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const vendorSample = namedExamples().find((e) => e.name === "Success")?.value.token ?? ""

let key: SigningKey
let otherKey: SigningKey
beforeAll(async () => {
  ;[key, otherKey] = await Promise.all([generateSigningKey(), generateSigningKey()])
})

describe("signToken", () => {
  it("writes the vendor's header byte for byte and the claims in the vendor's order", async () => {
    const [header, payload] = (await signToken(key.privateKey, claims)).split(".")
    expect(header).toBe("eyJhbGciOiJSUzI1NiJ9")
    expect(Buffer.from(header ?? "", "base64url").toString()).toBe('{"alg":"RS256"}')
    expect(Buffer.from(payload ?? "", "base64url").toString()).toBe(
      '{"scope":"paymentTokenize","uniqueId":"741c1b3f-152a-11f0-b7a3-16a97560b275","iat":1744807702,"exp":1744894102}'
    )
  })

  it("signs RS256 so that another implementation (node:crypto) verifies it with the PEM", async () => {
    const token = await signToken(key.privateKey, claims)
    const [header, payload, signature] = token.split(".") as [string, string, string]
    const verified = verify(
      "RSA-SHA256",
      Buffer.from(`${header}.${payload}`),
      createPublicKey(key.publicKeyPem),
      Buffer.from(signature, "base64url")
    )
    expect(verified).toBe(true)
  })
})

describe("generateSigningKey", () => {
  it("serves one RS256 signing key in the JWKS, with its RFC 7638 thumbprint as kid", () => {
    const jwk = createPublicKey(key.publicKeyPem).export({ format: "jwk" })
    const thumbprint = createHash("sha256")
      .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
      .digest("base64url")
    expect(key.jwks).toEqual({ keys: [{ kty: "RSA", n: jwk.n, e: "AQAB", alg: "RS256", use: "sig", kid: thumbprint }] })
  })

  it("writes the public key as SPKI PEM in 64-column lines", () => {
    const lines = key.publicKeyPem.trimEnd().split("\n")
    expect(lines[0]).toBe("-----BEGIN PUBLIC KEY-----")
    expect(lines.at(-1)).toBe("-----END PUBLIC KEY-----")
    expect(lines.slice(1, -2).every((line) => line.length === 64)).toBe(true)
    expect(createPublicKey(key.publicKeyPem).asymmetricKeyDetails).toEqual({
      modulusLength: 2048,
      publicExponent: 65537n
    })
  })

  it("makes a new key pair each time", () => {
    expect(otherKey.publicKeyPem).not.toBe(key.publicKeyPem)
  })
})

describe("checkToken", () => {
  it("accepts its own token and returns the claims", async () => {
    expect(await checkToken(key.publicKey, await signToken(key.privateKey, claims))).toEqual({ _tag: "Valid", claims })
  })

  const tampered = async () => {
    const [header, , signature] = (await signToken(key.privateKey, claims)).split(".")
    return `${header}.${b64({ ...claims, exp: claims.exp + 1 })}.${signature}`
  }

  it.each<[string, () => Promise<string> | string, string]>([
    ["an empty string", () => "", "Malformed"],
    ["two segments", () => "eyJhbGciOiJSUzI1NiJ9.e30", "Malformed"],
    ["four segments", () => "a.b.c.d", "Malformed"],
    ["an empty signature", () => "eyJhbGciOiJSUzI1NiJ9.e30.", "Malformed"],
    ["non-base64url characters", () => "eyJhbGciOiJSUzI1NiJ9.e30.c2ln+/=", "Malformed"],
    ["segments that are not JSON", () => "abc.def.ghi", "Malformed"],
    ["a header that is an array", () => `${b64(["RS256"])}.${b64(claims)}.c2ln`, "Malformed"],
    ["a payload that is a number", () => `${b64({ alg: "RS256" })}.${b64(42)}.c2ln`, "Malformed"],
    ["the vendor's sample (another key)", () => vendorSample, "BadSignature"],
    ["a tampered payload", tampered, "BadSignature"],
    ["a token of another sandbox", () => signToken(otherKey.privateKey, claims), "BadSignature"],
    ["alg none", () => `${b64({ alg: "none" })}.${b64(claims)}.c2ln`, "BadSignature"],
    ["alg HS256", () => `${b64({ alg: "HS256" })}.${b64(claims)}.c2ln`, "BadSignature"],
    [
      "a signed payload without uniqueId",
      () => signToken(key.privateKey, { scope: "recurring", iat: 1, exp: 2 } as unknown as TokenClaims),
      "BadClaims"
    ]
  ])("finds %s %s", async (_, make, want) => {
    expect((await checkToken(key.publicKey, await make()))._tag).toBe(want)
  })

  it("never throws, whatever the input", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{0,40}(\.[A-Za-z0-9_-]{0,40}){2}$/)),
        async (token) => {
          expect(["Malformed", "BadSignature", "BadClaims"]).toContain((await checkToken(key.publicKey, token))._tag)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("round-trips any claims", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          scope: fc.constantFrom("paymentTokenize", "recurring", "batchReport", "externalApi"),
          uniqueId: fc.uuid(),
          iat: fc.integer({ min: 0, max: 2 ** 32 }),
          exp: fc.integer({ min: 0, max: 2 ** 32 })
        }),
        async (random) => {
          expect(await checkToken(key.publicKey, await signToken(key.privateKey, random))).toEqual({
            _tag: "Valid",
            claims: random
          })
        }
      ),
      { numRuns: 20 }
    )
  })
})
