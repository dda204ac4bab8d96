/**
 * A `TokenStore` on Redis: one token per (environment, credential set, scope) shared by every
 * process pointed at the same Redis and key prefix.
 *
 * - One acquisition across processes: a lease lock (`SET NX PX`, released by a compare-and-delete
 *   script). The holder acquires and writes the token; the others wait for it (a pub/sub
 *   notification, with polling as a fallback), at most `waitMs`, then acquire on their own.
 * - A holder that dies mid-acquisition: its lease expires and a waiting process takes over.
 * - No stale overwrite: see `writeToken`.
 * - Redis trouble (down, slower than `operationTimeoutMs`, refusing): the process acquires on its
 *   own and the outcome says why (the manager emits `StoreDegraded`); sharing resumes as soon as
 *   Redis answers again (the client reconnects by itself).
 *
 * Only the `@effect/platform-node/NodeRedis` subpath is imported: the main entry of
 * `@effect/platform-node` loads undici 8, which crashes on Node 20.
 *
 * @since 0.1.0
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import type { SharedToken, StoreOutcome, TokenStoreShape } from "@ipos/auth-core"
import { TokenStore } from "@ipos/auth-core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redis from "effect/persistence/Redis"
import * as Queue from "effect/Queue"
import * as References from "effect/References"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import { makeSealer, type Sealer, tokenId } from "./Encryption.js"
import { invalidateToken, releaseLock, writeToken } from "./Scripts.js"

/**
 * Options of the Redis token store.
 *
 * @example
 * ```ts
 * import type { RedisTokenStoreOptions } from "@ipos/auth-redis"
 * const options: RedisTokenStoreOptions = { url: "rediss://app:secret@redis.internal:6380", encryptionKey: process.env.IPOS_REDIS_TOKEN_KEY }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RedisTokenStoreOptions {
  /** `redis://` or `rediss://` (TLS); an ACL user as `redis://user:password@host:port`. */
  readonly url: string
  /** Prefix of every key and of the channel (default `ipos:auth`). */
  readonly keyPrefix?: string | undefined
  /** Encrypts the stored token (AES-GCM) with a key derived from this secret. */
  readonly encryptionKey?: string | undefined
  /** Lease of the acquisition lock in ms (default 15 000): a dead holder blocks others this long. */
  readonly leaseMs?: number | undefined
  /** How long a process waits for another's acquisition before acquiring itself (default 30 000). */
  readonly waitMs?: number | undefined
  /** Per-operation timeout in ms (default 1 000): a slower Redis counts as down. */
  readonly operationTimeoutMs?: number | undefined
  /** Polling period while waiting, in case a notification is lost (default 200). */
  readonly pollMs?: number | undefined
}

const SharedTokenSchema = Schema.Struct({
  token: Schema.String,
  fingerprint: Schema.String,
  via: Schema.Literals(["authenticate", "refresh"]),
  createdDt: Schema.String,
  issuedAt: Schema.NullOr(Schema.Number),
  expiresAt: Schema.Number,
  localIssuedAt: Schema.NullOr(Schema.Number),
  localExpiresAt: Schema.Number,
  clockOffsetMs: Schema.Number
})
const decodeJson = Schema.decodeUnknownOption(Schema.fromJsonString(SharedTokenSchema))
// JSON has no `undefined`: unknown times are stored as null.
const encodeShared = (token: SharedToken): string =>
  JSON.stringify({ ...token, issuedAt: token.issuedAt ?? null, localIssuedAt: token.localIssuedAt ?? null })
const decodeShared = (text: string): SharedToken | undefined => {
  const decoded = decodeJson(text)
  if (Option.isNone(decoded)) return undefined
  const t = decoded.value
  return { ...t, issuedAt: t.issuedAt ?? undefined, localIssuedAt: t.localIssuedAt ?? undefined }
}

/** Redis trouble: the reason is short and holds no secret (never the URL). */
class StoreTrouble {
  readonly _tag = "StoreTrouble"
  constructor(readonly reason: string) {}
}

const describe = (cause: unknown): string => {
  const inner = cause instanceof Redis.RedisError ? cause.cause : cause
  const message = inner instanceof Error ? inner.message : String(inner)
  // node-redis messages may carry the address; the URL (with a password) never appears in them.
  return `Redis: ${message.slice(0, 200)}`
}

/**
 * A Redis token store for `createTokenManager({ store })`. It connects when the manager starts
 * (in the background: a Redis that is down at start-up only means acquiring alone until it is up)
 * and disconnects when the manager is closed. Use one store per manager.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@ipos/auth-core"
 * import { redisTokenStore } from "@ipos/auth-redis"
 *
 * const tokens = createTokenManager({
 *   fromEnv: process.env,
 *   store: redisTokenStore({ url: "redis://127.0.0.1:6379", encryptionKey: process.env.IPOS_REDIS_TOKEN_KEY })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const redisTokenStore = (options: RedisTokenStoreOptions): TokenStoreShape => {
  const prefix = options.keyPrefix ?? "ipos:auth"
  const leaseMs = options.leaseMs ?? 15_000
  const waitMs = options.waitMs ?? 30_000
  const opTimeout = Duration.millis(options.operationTimeoutMs ?? 1000)
  const pollMs = options.pollMs ?? 200
  const channel = `${prefix}:ready`
  // The hash tag keeps a slot's token and lock on one Redis Cluster node (one script uses both).
  const tokenKey = (key: string) => `${prefix}:{${key}}:token`
  const lockKey = (key: string) => `${prefix}:{${key}}:lock`

  let redis: Redis.Redis["Service"] | undefined
  let sealer: Sealer | undefined
  // Done once the first connection attempt has ended, either way. Until then an operation waits for
  // it rather than failing: on a cold deploy every replica's first miss comes right after start-up,
  // and falling back to a local acquisition then would be the very stampede the store prevents.
  const firstAttempt = Deferred.makeUnsafe<void>()
  const connectTimeoutMs = Math.max(1000, Duration.toMillis(opTimeout) * 2)
  const waiters = new Map<string, Set<Deferred.Deferred<void>>>()

  const wake = (key: string): void => {
    const set = waiters.get(key)
    if (set === undefined) return
    waiters.delete(key)
    for (const d of set) Deferred.doneUnsafe(d, Exit.void)
  }

  /** A Redis operation, bounded by the per-operation timeout; any trouble is a `StoreTrouble`. */
  const connected = Effect.suspend(() =>
    Deferred.isDoneUnsafe(firstAttempt)
      ? Effect.void
      : Deferred.await(firstAttempt).pipe(
          Effect.timeoutOrElse({ duration: Duration.millis(connectTimeoutMs), orElse: () => Effect.void })
        )
  )
  const op = <A>(f: (r: Redis.Redis["Service"]) => Effect.Effect<A, Redis.RedisError>) =>
    Effect.andThen(connected, () =>
      redis === undefined
        ? Effect.fail(new StoreTrouble("Redis: not connected"))
        : f(redis).pipe(
            Effect.timeoutOrElse({
              duration: opTimeout,
              orElse: () => Effect.fail(new StoreTrouble("Redis: no answer within the operation timeout"))
            }),
            Effect.mapError((e) => (e instanceof StoreTrouble ? e : new StoreTrouble(describe(e))))
          )
    )

  const read = (key: string): Effect.Effect<SharedToken | undefined, StoreTrouble> =>
    Effect.flatMap(
      op((r) => r.send<string | null>("HGET", tokenKey(key), "v")),
      (stored): Effect.Effect<SharedToken | undefined> =>
        stored === null || sealer === undefined
          ? Effect.succeed(undefined)
          : Effect.map(sealer.open(stored, tokenKey(key)), (plain) =>
              Option.isNone(plain) ? undefined : decodeShared(plain.value)
            )
    )

  const write = (key: string, owner: string, token: SharedToken) =>
    Effect.gen(function* () {
      const value = yield* (sealer as Sealer).seal(encodeShared(token), tokenKey(key))
      const id = yield* tokenId(token.token)
      const ttl = Math.max(1, Math.ceil(token.localExpiresAt - (yield* Clock.currentTimeMillis)))
      return yield* op((r) =>
        r.eval(writeToken)(tokenKey(key), lockKey(key), owner, value, id, token.localExpiresAt, ttl, channel, key)
      )
    })

  const release = (key: string, owner: string) => Effect.ignore(op((r) => r.eval(releaseLock)(lockKey(key), owner)))

  /** Waits for a notification about `key`, or for the polling period, whichever comes first. */
  const pause = (key: string) =>
    Effect.suspend(() => {
      const d = Deferred.makeUnsafe<void>()
      let set = waiters.get(key)
      if (set === undefined) {
        set = new Set()
        waiters.set(key, set)
      }
      set.add(d)
      return Effect.raceFirst(Deferred.await(d), Effect.sleep(pollMs)).pipe(
        Effect.ensuring(Effect.sync(() => waiters.get(key)?.delete(d)))
      )
    })

  type Plan = { readonly _tag: "Adopt"; readonly token: SharedToken } | { readonly _tag: "Locked" }

  /** Adopt a shared token, or take the lock; waiting while another process holds it. */
  const plan = (key: string, owner: string, adopt: (t: SharedToken) => boolean, deadline: number) =>
    Effect.gen(function* () {
      while (true) {
        const shared = yield* read(key)
        if (shared !== undefined && adopt(shared)) return { _tag: "Adopt", token: shared } as Plan
        const locked = yield* op((r) => r.send<string | null>("SET", lockKey(key), owner, "NX", "PX", String(leaseMs)))
        if (locked === "OK") {
          // Written between the read and the lock: no need to acquire.
          const again = yield* read(key)
          if (again !== undefined && adopt(again)) {
            yield* release(key, owner)
            return { _tag: "Adopt", token: again } as Plan
          }
          return { _tag: "Locked" } as Plan
        }
        if ((yield* Clock.currentTimeMillis) >= deadline) {
          return yield* Effect.fail(new StoreTrouble(`Redis: waited ${waitMs} ms for another process's token`))
        }
        yield* pause(key)
      }
    })

  const acquire = <E>(
    key: string,
    adopt: (t: SharedToken) => boolean,
    run: Effect.Effect<SharedToken, E>
  ): Effect.Effect<StoreOutcome, E> =>
    Effect.suspend(() => {
      const owner = globalThis.crypto.randomUUID()
      return Effect.gen(function* () {
        const planned = yield* Effect.result(plan(key, owner, adopt, (yield* Clock.currentTimeMillis) + waitMs))
        if (planned._tag === "Failure") {
          const token = yield* run
          return { token, from: "self", degraded: planned.failure.reason } satisfies StoreOutcome
        }
        if (planned.success._tag === "Adopt") {
          return { token: planned.success.token, from: "store", degraded: undefined } satisfies StoreOutcome
        }
        // The lock is released however `run` ends (a failure lets a waiting process try at once).
        const token = yield* run.pipe(Effect.onError(() => release(key, owner)))
        const written = yield* Effect.result(write(key, owner, token))
        yield* release(key, owner)
        return {
          token,
          from: "self",
          degraded: written._tag === "Failure" ? written.failure.reason : undefined
        } satisfies StoreOutcome
      })
    })

  const invalidate = (key: string, token: string): Effect.Effect<string | undefined> =>
    Effect.flatMap(tokenId(token), (id) =>
      op((r) => r.eval(invalidateToken)(tokenKey(key), id)).pipe(
        Effect.as(undefined),
        Effect.catch((e: StoreTrouble) => Effect.succeed(e.reason))
      )
    )

  /** Keeps the channel subscription; the client re-subscribes after a reconnection by itself. */
  const listen = (r: Redis.Redis["Service"]) =>
    Effect.scoped(
      Effect.gen(function* () {
        const queue = yield* r.subscribe(channel)
        while (true) {
          const message = yield* Queue.take(queue)
          wake(message.message)
        }
      })
    ).pipe(
      Effect.catchCause(() => Effect.sleep(1000)),
      Effect.forever
    )

  const connect = (scope: Scope.Scope) =>
    Effect.gen(function* () {
      sealer = yield* makeSealer(options.encryptionKey)
      while (redis === undefined) {
        const attempt = yield* Scope.fork(scope)
        const built = yield* Effect.exit(
          Layer.buildWithScope(
            NodeRedis.layer({
              url: options.url,
              disableOfflineQueue: true,
              socket: {
                connectTimeout: connectTimeoutMs,
                // Keep reconnecting while the manager lives: sharing resumes when Redis is back.
                reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000)
              }
            }),
            attempt
          ).pipe(
            // node-redis reports every failed reconnection attempt; the manager's StoreDegraded
            // event (once per episode) is the signal, not a warning every second.
            Effect.provideService(References.MinimumLogLevel, "Error")
          )
        )
        if (Exit.isSuccess(built)) {
          redis = Context.get(built.value, Redis.Redis)
          yield* Effect.forkIn(listen(redis), scope)
          Deferred.doneUnsafe(firstAttempt, Exit.void)
        } else {
          Deferred.doneUnsafe(firstAttempt, Exit.void)
          yield* Scope.close(attempt, Exit.void)
          yield* Effect.sleep(1000)
        }
      }
    })

  return {
    shared: true,
    acquire: acquire,
    invalidate,
    start: Effect.gen(function* () {
      const scope = yield* Effect.scope
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          redis = undefined
        })
      )
      yield* Effect.forkIn(connect(scope), scope)
    })
  }
}

/**
 * The store as a layer of the Effect API's `TokenStore` service, connected for the layer's
 * lifetime.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { TokenManager } from "@ipos/auth-core"
 * import { RedisTokenStore } from "@ipos/auth-redis"
 * const Live = TokenManager.layer().pipe(Layer.provide(RedisTokenStore.layer({ url: "redis://127.0.0.1:6379" })))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: RedisTokenStoreOptions): Layer.Layer<TokenStore> =>
  Layer.effect(
    TokenStore,
    Effect.gen(function* () {
      const store = redisTokenStore(options)
      if (store.start !== undefined) yield* store.start
      return { ...store, start: undefined }
    })
  )
