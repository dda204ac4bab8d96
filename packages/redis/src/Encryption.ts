/**
 * Encryption at rest of the stored token: AES-GCM (256-bit key) through WebCrypto. The key is the
 * SHA-256 of the configured secret; the Redis key name is the additional data, so a value copied
 * under another name does not decrypt. A value is `v1.` + base64(12-byte IV ‖ ciphertext).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const PREFIX = "v1."

/**
 * Turns values into what is stored and back; `undefined` when the stored value cannot be read
 * (another key, a plain value, tampering): then it is treated as absent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeSealer } from "@ipos/auth-redis"
 * const sealer = await Effect.runPromise(makeSealer("a long random secret"))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Sealer {
  readonly encrypted: boolean
  readonly seal: (plain: string, name: string) => Effect.Effect<string>
  readonly open: (stored: string, name: string) => Effect.Effect<Option.Option<string>>
}

const plainSealer: Sealer = {
  encrypted: false,
  seal: (plain) => Effect.succeed(plain),
  open: (stored) => Effect.succeed(stored.startsWith(PREFIX) ? Option.none() : Option.some(stored))
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64")

/**
 * A sealer: AES-GCM with a key derived from `secret`, or plain JSON without one.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeSealer } from "@ipos/auth-redis"
 * const sealed = Effect.flatMap(makeSealer("secret"), (s) => s.seal("{}", "ipos:auth:{k}:token"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSealer = (secret: string | undefined): Effect.Effect<Sealer> => {
  if (secret === undefined || secret === "") return Effect.succeed(plainSealer)
  const subtle = globalThis.crypto.subtle
  return Effect.promise(async () => {
    const digest = await subtle.digest("SHA-256", encoder.encode(secret))
    return subtle.importKey("raw", digest, "AES-GCM", false, ["encrypt", "decrypt"])
  }).pipe(
    Effect.map(
      (key): Sealer => ({
        encrypted: true,
        seal: (plain, name) =>
          Effect.promise(async () => {
            const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
            const sealed = new Uint8Array(
              await subtle.encrypt(
                { name: "AES-GCM", iv, additionalData: encoder.encode(name) },
                key,
                encoder.encode(plain)
              )
            )
            const out = new Uint8Array(iv.length + sealed.length)
            out.set(iv)
            out.set(sealed, iv.length)
            return PREFIX + base64(out)
          }),
        open: (stored, name) =>
          stored.startsWith(PREFIX)
            ? Effect.tryPromise(async () => {
                const bytes = new Uint8Array(Buffer.from(stored.slice(PREFIX.length), "base64"))
                const plain = await subtle.decrypt(
                  { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: encoder.encode(name) },
                  key,
                  bytes.subarray(12)
                )
                return decoder.decode(plain)
              }).pipe(Effect.option)
            : Effect.succeed(Option.none())
      })
    )
  )
}

/**
 * The SHA-256 of a token in hex: what the store compares on invalidation (the stored value may be
 * encrypted with a random IV, so it cannot be compared as it is).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { tokenId } from "@ipos/auth-redis"
 * Effect.runPromise(tokenId("eyJ...")) // "9f86d0…"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const tokenId = (token: string): Effect.Effect<string> =>
  Effect.promise(async () =>
    Buffer.from(await globalThis.crypto.subtle.digest("SHA-256", encoder.encode(token))).toString("hex")
  )
