/**
 * Where tokens are shared between processes.
 *
 * The engine keeps its own in-process single flight and serves cache hits from process memory;
 * a store is consulted only when a slot needs a token (a miss, a refresh) and when a token is
 * invalidated. The default, {@link memoryTokenStore}, shares nothing: every process acquires its
 * own tokens, as before stores existed. `@ipos/auth-redis` shares one token per (environment,
 * credential set, scope) across processes through Redis.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"

/**
 * A token as it crosses processes: the JWT and what a process that did not request it needs to
 * cache it. Local times are the acquiring process's wall clock.
 *
 * @example
 * ```ts
 * import type { SharedToken } from "@ipos/auth-core"
 * const left = (t: SharedToken) => t.localExpiresAt - Date.now()
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface SharedToken {
  readonly token: string
  readonly fingerprint: string
  readonly via: "authenticate" | "refresh"
  readonly createdDt: string
  /** `iat` in ms (service clock), when readable. */
  readonly issuedAt: number | undefined
  /** `exp` in ms (service clock). */
  readonly expiresAt: number
  readonly localIssuedAt: number | undefined
  readonly localExpiresAt: number
  readonly clockOffsetMs: number
}

/**
 * How an acquisition through a store went: `self` when this process acquired the token, `store`
 * when another process did. `degraded` names the store's trouble when it could not be used (the
 * token was then acquired by this process alone).
 *
 * @example
 * ```ts
 * import type { StoreOutcome } from "@ipos/auth-core"
 * const shared = (o: StoreOutcome) => o.from === "store"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface StoreOutcome {
  readonly token: SharedToken
  readonly from: "self" | "store"
  readonly degraded: string | undefined
}

/**
 * A token store. `key` names (environment, credential set, scope) with hashes, never a secret.
 *
 * - `acquire(key, adopt, run)`: the one acquisition for `key` across the processes sharing the
 *   store. A shared token that `adopt` accepts is returned as it is; otherwise exactly one process
 *   runs `run` and shares its token, and the others receive it. Store trouble never fails: the
 *   process then runs `run` itself and says so in `degraded`.
 * - `invalidate(key, token)`: removes the shared token only if it is still `token`; resolves to the
 *   store's trouble, if any.
 * - `start`: resources of the store (connections), run in the manager's scope when given.
 *
 * @example
 * ```ts
 * import { type TokenStoreShape, memoryTokenStore } from "@ipos/auth-core"
 * const store: TokenStoreShape = memoryTokenStore
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface TokenStoreShape {
  readonly shared: boolean
  /** The one acquisition for `key` across the processes sharing the store (see above). */
  readonly acquire: <E>(
    key: string,
    adopt: (token: SharedToken) => boolean,
    run: Effect.Effect<SharedToken, E>
  ) => Effect.Effect<StoreOutcome, E>
  /** Removes the shared token of `key` only if it is still `token`; resolves to the store's trouble. */
  readonly invalidate: (key: string, token: string) => Effect.Effect<string | undefined>
  readonly start?: Effect.Effect<void, never, Scope.Scope> | undefined
}

/**
 * Today's behaviour: nothing shared, every acquisition runs in this process.
 *
 * @example
 * ```ts
 * import { createTokenManager, memoryTokenStore } from "@ipos/auth-core"
 * createTokenManager({ fromEnv: process.env, store: memoryTokenStore })
 * ```
 *
 * @since 0.2.0
 * @category stores
 */
export const memoryTokenStore: TokenStoreShape = {
  shared: false,
  acquire: (_key, _adopt, run) => Effect.map(run, (token) => ({ token, from: "self", degraded: undefined })),
  invalidate: () => Effect.succeed(undefined)
}

/**
 * The token store service of the Effect API (`TokenManager.layer`); {@link memoryTokenStore} when
 * not provided.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { TokenStore, memoryTokenStore } from "@ipos/auth-core"
 * const Store = Layer.succeed(TokenStore, memoryTokenStore)
 * ```
 *
 * @since 0.2.0
 * @category services
 */
export class TokenStore extends Context.Service<TokenStore, TokenStoreShape>()("@ipos/auth-core/TokenStore") {}
