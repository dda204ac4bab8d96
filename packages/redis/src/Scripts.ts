/**
 * The Lua scripts of the store. Each runs atomically in Redis, which is what makes the lock and
 * the compare-and-set semantics hold between processes.
 *
 * @since 0.1.0
 */
import * as Redis from "effect/persistence/Redis"

/**
 * Releases the lease lock only if this process still holds it (its lease may have expired and
 * another process taken it over): `1` when released.
 *
 * @example
 * ```ts
 * import { releaseLock } from "@ipos/auth-redis"
 * redis.eval(releaseLock)(lockKey, owner)
 * ```
 *
 * @since 0.1.0
 * @category scripts
 */
export const releaseLock = Redis.script((lockKey: string, owner: string) => [lockKey, owner], {
  numberOfKeys: 1,
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`
}).withReturnType<number>()

/**
 * Writes a token unless that would be a stale overwrite: a process that still holds the lock
 * writes; one whose lease expired meanwhile writes only a token that expires later than the stored
 * one. A write publishes the key on the channel, waking the waiting processes. `1` when written.
 *
 * @example
 * ```ts
 * import { writeToken } from "@ipos/auth-redis"
 * redis.eval(writeToken)(tokenKey, lockKey, owner, value, id, expiresAt, ttlMs, channel, key)
 * ```
 *
 * @since 0.1.0
 * @category scripts
 */
export const writeToken = Redis.script(
  (
    tokenKey: string,
    lockKey: string,
    owner: string,
    value: string,
    id: string,
    expiresAt: number,
    ttlMs: number,
    channel: string,
    key: string
  ) => [tokenKey, lockKey, owner, value, id, expiresAt, ttlMs, channel, key],
  {
    numberOfKeys: 2,
    lua: `local stored = tonumber(redis.call('HGET', KEYS[1], 'exp'))
if redis.call('GET', KEYS[2]) == ARGV[1] or stored == nil or stored < tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'id', ARGV[3], 'exp', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PUBLISH', ARGV[6], ARGV[7])
  return 1
end
return 0`
  }
).withReturnType<number>()

/**
 * Removes the shared token only if it is still the refused one (compared by its SHA-256): a late
 * refusal of an older token leaves the newer one alone. `1` when removed.
 *
 * @example
 * ```ts
 * import { invalidateToken } from "@ipos/auth-redis"
 * redis.eval(invalidateToken)(tokenKey, id)
 * ```
 *
 * @since 0.1.0
 * @category scripts
 */
export const invalidateToken = Redis.script((tokenKey: string, id: string) => [tokenKey, id], {
  numberOfKeys: 1,
  lua: `if redis.call('HGET', KEYS[1], 'id') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`
}).withReturnType<number>()
