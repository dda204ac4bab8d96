/**
 * `@ipos/auth-redis`: share one iPOSpays token per (environment, credential set, scope) across
 * processes through Redis.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@ipos/auth-core"
 * import { redisTokenStore } from "@ipos/auth-redis"
 * const tokens = createTokenManager({ fromEnv: process.env, store: redisTokenStore({ url: "redis://127.0.0.1:6379" }) })
 * ```
 *
 * @since 0.1.0
 */
export { makeSealer, type Sealer, tokenId } from "./Encryption.js"
export { redisStoreFromEnv } from "./fromEnv.js"
export * as RedisTokenStore from "./RedisTokenStore.js"
export { type RedisTokenStoreOptions, redisTokenStore } from "./RedisTokenStore.js"
export { invalidateToken, releaseLock, writeToken } from "./Scripts.js"
