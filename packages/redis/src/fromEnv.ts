/**
 * The store from the environment: `IPOS_REDIS_URL` and `IPOS_REDIS_TOKEN_KEY`.
 *
 * @since 0.1.0
 */
import type { TokenStoreShape } from "@ipos/auth-core"
import { type RedisTokenStoreOptions, redisTokenStore } from "./RedisTokenStore.js"

/**
 * A Redis store when `IPOS_REDIS_URL` is set (`undefined` otherwise), encrypting with
 * `IPOS_REDIS_TOKEN_KEY` when that is set; `options` win over the variables.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@ipos/auth-core"
 * import { redisStoreFromEnv } from "@ipos/auth-redis"
 * const tokens = createTokenManager({ fromEnv: process.env, store: redisStoreFromEnv(process.env) })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const redisStoreFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
  options: Partial<RedisTokenStoreOptions> = {}
): TokenStoreShape | undefined => {
  const url = options.url ?? env.IPOS_REDIS_URL
  if (url === undefined || url === "") return undefined
  const encryptionKey = options.encryptionKey ?? env.IPOS_REDIS_TOKEN_KEY
  return redisTokenStore({ ...options, url, encryptionKey: encryptionKey === "" ? undefined : encryptionKey })
}
