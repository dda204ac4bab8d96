/**
 * RS256 JSON Web Tokens as iPOSpays issues them: header exactly `{"alg":"RS256"}` (no `typ`, no
 * `kid`), claims `{scope, uniqueId, iat, exp}`, signed with RSASSA-PKCS1-v1_5 / SHA-256 by a key
 * pair generated with WebCrypto. Also the public key as PEM and as a JWKS, so tests can verify.
 */
import { Buffer } from "node:buffer"

/** The claims of a sandbox token, in the vendor's order. `iat` and `exp` are epoch seconds. */
export interface TokenClaims {
  readonly scope: string
  readonly uniqueId: string
  readonly iat: number
  readonly exp: number
}

/** The public key as a JSON Web Key (RFC 7517), with an RFC 7638 thumbprint as `kid`. */
export interface PublicJwk {
  readonly kty: "RSA"
  readonly n: string
  readonly e: string
  readonly alg: "RS256"
  readonly use: "sig"
  readonly kid: string
}

/** A JSON Web Key Set holding the sandbox's one public key. */
export interface Jwks {
  readonly keys: ReadonlyArray<PublicJwk>
}

/** The key pair a sandbox signs with, and its public half in the two served forms. */
export interface SigningKey {
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  readonly publicKeyPem: string
  readonly jwks: Jwks
}

/** What checking a token found. */
export type TokenCheck =
  | { readonly _tag: "Valid"; readonly claims: TokenClaims }
  /** Not three base64url segments, or the header or payload is not a JSON object. */
  | { readonly _tag: "Malformed" }
  /** Not RS256, or the signature does not verify with this key. */
  | { readonly _tag: "BadSignature" }
  /** Signed by this key but without the claims a sandbox token has. */
  | { readonly _tag: "BadClaims" }

const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const
const subtle = globalThis.crypto.subtle
const segment = /^[A-Za-z0-9_-]+$/
// base64url of `{"alg":"RS256"}`: identical to the vendor's tokens, byte for byte.
const encodedHeader = Buffer.from(JSON.stringify({ alg: "RS256" }), "utf8").toString("base64url")

const pem = (der: ArrayBuffer): string => {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? []
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`
}

/**
 * Generates a fresh RSA-2048 key pair and derives the PEM and JWKS forms of its public key.
 *
 * @example
 * ```ts
 * const key = await generateSigningKey()
 * key.jwks.keys[0]?.alg // "RS256"
 * ```
 */
export const generateSigningKey = async (): Promise<SigningKey> => {
  const pair = await subtle.generateKey(
    { ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"]
  )
  const jwk = await subtle.exportKey("jwk", pair.publicKey)
  if (jwk.n === undefined || jwk.e === undefined) throw new Error("WebCrypto exported an RSA key without n or e")
  // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
  const thumbprint = await subtle.digest("SHA-256", Buffer.from(JSON.stringify({ e: jwk.e, kty: "RSA", n: jwk.n })))
  const publicJwk: PublicJwk = {
    kty: "RSA",
    n: jwk.n,
    e: jwk.e,
    alg: "RS256",
    use: "sig",
    kid: Buffer.from(thumbprint).toString("base64url")
  }
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicKeyPem: pem(await subtle.exportKey("spki", pair.publicKey)),
    jwks: { keys: [publicJwk] }
  }
}

/**
 * Signs claims into a compact JWS with the header `{"alg":"RS256"}`.
 *
 * @example
 * ```ts
 * const token = await signToken(key.privateKey, { scope: "recurring", uniqueId: crypto.randomUUID(), iat, exp })
 * token.startsWith("eyJhbGciOiJSUzI1NiJ9.") // true
 * ```
 */
export const signToken = async (privateKey: CryptoKey, claims: TokenClaims): Promise<string> => {
  const body = { scope: claims.scope, uniqueId: claims.uniqueId, iat: claims.iat, exp: claims.exp }
  const input = `${encodedHeader}.${Buffer.from(JSON.stringify(body), "utf8").toString("base64url")}`
  const signature = await subtle.sign(algorithm, privateKey, Buffer.from(input, "ascii"))
  return `${input}.${Buffer.from(signature).toString("base64url")}`
}

const jsonObject = (encoded: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"))
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

const isClaims = (payload: Record<string, unknown>): payload is Record<string, unknown> & TokenClaims =>
  typeof payload.scope === "string" &&
  typeof payload.uniqueId === "string" &&
  Number.isSafeInteger(payload.iat) &&
  Number.isSafeInteger(payload.exp)

/**
 * Checks a compact JWS against a public key: shape first, then algorithm and signature, then the
 * claims. Never throws, whatever the input. Expiry is the caller's business.
 *
 * @example
 * ```ts
 * const check = await checkToken(key.publicKey, token)
 * if (check._tag === "Valid") console.log(check.claims.uniqueId)
 * ```
 */
export const checkToken = async (publicKey: CryptoKey, token: string): Promise<TokenCheck> => {
  const parts = token.split(".")
  if (parts.length !== 3 || !parts.every((part) => segment.test(part))) return { _tag: "Malformed" }
  const [header, payload, signature] = parts as [string, string, string]
  const decodedHeader = jsonObject(header)
  const decodedPayload = jsonObject(payload)
  if (decodedHeader === undefined || decodedPayload === undefined) return { _tag: "Malformed" }
  if (decodedHeader.alg !== "RS256") return { _tag: "BadSignature" }
  let verified: boolean
  try {
    verified = await subtle.verify(
      algorithm,
      publicKey,
      Buffer.from(signature, "base64url"),
      Buffer.from(`${header}.${payload}`, "ascii")
    )
  } catch {
    verified = false
  }
  if (!verified) return { _tag: "BadSignature" }
  if (!isClaims(decodedPayload)) return { _tag: "BadClaims" }
  const { scope, uniqueId, iat, exp } = decodedPayload
  return { _tag: "Valid", claims: { scope, uniqueId, iat, exp } }
}
