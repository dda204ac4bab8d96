/**
 * The token manager: a valid iPOSpays token for any caller, at any moment, with the fewest calls
 * to iPOSpays.
 *
 * - **Keyed by credentials + scope**: many scopes (and credential sets) are held at once. Those of
 *   per-request credentials (a multi-tenant service) are bounded: evicted after `slotIdleMs`
 *   unused and beyond `maxSlots` (least recently used first), refreshed ahead by `keepFresh` only
 *   while used, and dropped on request by `evict`. The manager's own credentials are never evicted
 *   by idleness and stay fresh with `keepFresh` without any traffic.
 * - **Expiry from the JWT `exp`** (decoded, not verified; the claim scope is never compared with
 *   the requested one), corrected for the service's clock offset (see `ClockSkew`); `createdDt` +
 *   requested minutes only when `exp` is unreadable.
 * - **Refresh-ahead** in a window that scales with the token's lifetime, with a jittered start (see
 *   `RefreshWindow`): callers get the current token at once while ONE background refresh runs;
 *   only when no valid token exists do callers wait, all on the same single in-flight acquisition.
 * - **Refresh, then authenticate**: a refresh uses `/v1/refresh-token`; when it is refused
 *   (`AUTH_ERR_006/007/008`, or any refusal) or keeps failing as expiry nears, the manager
 *   authenticates instead. A failed background refresh never throws away a still-valid token,
 *   never crashes anything, and is not cached: the next attempt (after a short backoff) really
 *   tries again. Meanwhile the scope is **degraded** (event, status field, metric).
 * - **`invalidate`** after a downstream 401: the next caller gets a new token; concurrent
 *   invalidations of the same token cause one acquisition, and a late one for an older token is a
 *   no-op. Without a token it drops whatever is current.
 * - **Closing** the manager's scope makes later calls (and calls it interrupted) fail with
 *   `ManagerClosed`.
 * - **Events** (a `Stream`) and **metrics**; no event, metric, log or span carries a secret or a
 *   whole token. Tokens are handed out as `Redacted`.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Redacted from "effect/Redacted"
import type * as EffectScope from "effect/Scope"
import * as Stream from "effect/Stream"
import { AuthApi, type AuthApiOptions } from "./AuthApi.js"
import { type AuthConfigInput, loadAuthConfig, requireCredentials } from "./Config.js"
import { type Credentials, type CredentialsInput, makeCredentials } from "./Credentials.js"
import type { AuthFailure } from "./Failure.js"
import { readerBufferSize } from "./internal/events.js"
import {
  type Engine,
  engineOptions,
  type Held,
  type ManagedToken,
  makeEngine,
  type TokenState,
  type TokenStatus
} from "./internal/manager.js"
import type { RefreshPolicy } from "./RefreshWindow.js"
import type { Scope } from "./Schemas.js"
import type { TokenEvent } from "./TokenEvents.js"
import { TokenStore } from "./TokenStore.js"
import { type ValidationError, validateScope } from "./ValidationError.js"

export type {
  /**
   * Metadata of a held token (the token itself `Redacted`).
   *
   * @since 0.1.0
   * @category models
   */
  ManagedToken,
  /**
   * Where a scope stands: `empty`, `acquiring`, `valid`, `refreshing`, `degraded`, `expired`.
   *
   * @since 0.1.0
   * @category models
   */
  TokenState,
  /**
   * A snapshot of one scope, safe to serve from a status endpoint.
   *
   * @since 0.1.0
   * @category models
   */
  TokenStatus
}

/**
 * Options of the token manager.
 *
 * @example
 * ```ts
 * import { TokenManager, type TokenManagerOptions } from "@ipos/auth-core"
 * const options: TokenManagerOptions = { scope: "Recurring", expiryMinutes: 240, keepFresh: true }
 * TokenManager.layer(options)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenManagerOptions {
  /** The scope of `getToken()` without arguments (default `PaymentTokenization`). */
  readonly scope?: Scope | undefined
  /** Default credentials (default: those of the `AuthApi` layer). */
  readonly credentials?: Credentials | CredentialsInput | undefined
  /** Requested token lifetime, 30…1440 minutes (default: not sent). */
  readonly expiryMinutes?: number | undefined
  /** Overrides of the refresh-window formulas. */
  readonly refreshPolicy?: Partial<RefreshPolicy> | undefined
  /**
   * Refresh on a timer too, not only when a caller asks inside the window (default `false`). Use it
   * in long-running services (a proxy whose readiness depends on holding a valid token); leave it
   * off in scripts so that no timer keeps the process alive.
   */
  readonly keepFresh?: boolean | undefined
  /** Consecutive failed refreshes after which the manager authenticates instead (default 2). */
  readonly refreshFailuresBeforeReauthenticate?: number | undefined
  /**
   * Per-request credentials (`getToken({ credentials })`, a multi-tenant service): a credential
   * set + scope unused for this long is evicted — token dropped, timer stopped — and with
   * `keepFresh` it is refreshed ahead only while used within this time (default 15 minutes; from
   * 1 s to 24 h). The manager's own credentials are never evicted by idleness and are always kept
   * fresh with `keepFresh`.
   */
  readonly slotIdleMs?: number | undefined
  /**
   * At most this many per-request credential sets + scopes are held; beyond it the least recently
   * used is evicted (default 10 000). The manager's own credentials do not count.
   */
  readonly maxSlots?: number | undefined
}

/**
 * Which token: a scope (default: the manager's) and credentials (default: the manager's).
 *
 * @example
 * ```ts
 * import type { TokenRequest } from "@ipos/auth-core"
 * const batch: TokenRequest = { scope: "BatchReport" }
 * manager.getToken(batch)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenRequest {
  readonly scope?: Scope | undefined
  readonly credentials?: Credentials | undefined
}

/**
 * The service.
 *
 * @example
 * ```ts
 * import { TokenManager, type TokenManagerShape } from "@ipos/auth-core"
 * const useIt = (manager: TokenManagerShape) => manager.getToken({ scope: "Recurring" })
 * TokenManager.use(useIt)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenManagerShape {
  /** A valid token, `Redacted`: `Redacted.value(token)` when writing the `token` header. */
  readonly getToken: (request?: TokenRequest) => Effect.Effect<Redacted.Redacted<string>, AuthFailure>
  /** A valid token with its metadata. */
  readonly getManagedToken: (request?: TokenRequest) => Effect.Effect<ManagedToken, AuthFailure>
  /** Refreshes now (or joins the acquisition in flight) and returns the new token. */
  readonly refresh: (request?: TokenRequest) => Effect.Effect<Redacted.Redacted<string>, AuthFailure>
  /**
   * Drops the held token (after a downstream 401). Pass the token that was refused: when it is no
   * longer the held one (another caller already got a new one) nothing happens, and a refresh of
   * it in flight is not handed out (the waiting callers get a new authentication). Without a
   * token, whatever is current is dropped — possibly a token another caller has just acquired,
   * which costs an extra acquisition when several 401s race.
   */
  readonly invalidate: (
    request?: TokenRequest & { readonly token?: Redacted.Redacted<string> | string | undefined }
  ) => Effect.Effect<void, ValidationError>
  /** A snapshot of one scope (also updates the gauges). */
  readonly status: (request?: TokenRequest) => Effect.Effect<TokenStatus, ValidationError>
  /** Snapshots of every scope held (the manager's own, and per-request ones not evicted yet). */
  readonly statuses: Effect.Effect<ReadonlyArray<TokenStatus>>
  /**
   * Evicts a scope (per-request credentials: a tenant that is gone): its token is dropped, its
   * `keepFresh` timer stopped, its gauges removed; the next use acquires a new token. `true` when it
   * was held. Evicting the manager's default scope drops its token and timer until its next use.
   */
  readonly evict: (request?: TokenRequest) => Effect.Effect<boolean, ValidationError>
  /** Lifecycle events, from the moment the stream is run. */
  readonly events: Stream.Stream<TokenEvent>
}

/**
 * The token manager service.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { AuthApi, TokenManager } from "@ipos/auth-core"
 *
 * const program = Effect.gen(function* () {
 *   const manager = yield* TokenManager
 *   const token = yield* manager.getToken()            // Redacted<string>
 *   const res = yield* Effect.promise(() => fetch(url, { headers: { token: Redacted.value(token) } }))
 *   if (res.status === 401) yield* manager.invalidate({ token })
 * })
 *
 * program.pipe(
 *   Effect.provide(TokenManager.layer({ scope: "PaymentTokenization" })),
 *   Effect.provide(AuthApi.layer({ credentials: { apiKey, secretKey } })),
 *   Effect.runPromise
 * )
 * ```
 *
 * @since 0.1.0
 * @category services
 */
export class TokenManager extends Context.Service<TokenManager, TokenManagerShape>()("@ipos/auth-core/TokenManager") {
  /**
   * A layer over an `AuthApi`.
   *
   * @example
   * ```ts
   * const Live = TokenManager.layer({ scope: "Recurring", keepFresh: true }).pipe(Layer.provide(AuthApi.layer(options)))
   * ```
   */
  static readonly layer = (options: TokenManagerOptions = {}): Layer.Layer<TokenManager, ValidationError, AuthApi> =>
    Layer.effect(TokenManager, makeTokenManager(options))

  /**
   * Both layers from the environment (`IPOS_*`): credentials, scope, env, base URL and expiry.
   * Fails with a `ValidationError` when the keys are missing or a variable is invalid.
   *
   * @example
   * ```ts
   * const Live = TokenManager.layerConfig({ keepFresh: true })
   * ```
   */
  static readonly layerConfig = (
    options: Omit<TokenManagerOptions, "credentials" | "scope" | "expiryMinutes"> & {
      readonly api?: Omit<AuthApiOptions, "credentials" | "env" | "baseUrl" | "expiryMinutes"> | undefined
      readonly overrides?: AuthConfigInput | undefined
    } = {}
  ): Layer.Layer<TokenManager | AuthApi, ValidationError> =>
    Layer.unwrap(
      Effect.gen(function* () {
        const config = yield* loadAuthConfig(options.overrides)
        const credentials = yield* requireCredentials(config)
        const api = AuthApi.layer({
          ...options.api,
          credentials,
          env: config.env,
          baseUrl: config.baseUrl,
          expiryMinutes: config.expiryMinutes
        })
        return TokenManager.layer({
          ...options,
          credentials,
          scope: config.scope,
          expiryMinutes: config.expiryMinutes
        }).pipe(Layer.provideMerge(api))
      })
    )
}

// Validated even when already `Redacted`: an empty key is refused here, never sent.
const toCredentials = (
  input: Credentials | CredentialsInput | undefined
): Effect.Effect<Credentials | undefined, ValidationError> =>
  input === undefined ? Effect.succeed(undefined) : Effect.fromResult(makeCredentials(input))

/**
 * Wraps an engine as the service.
 *
 * @internal
 */
const fromEngine = (engine: Engine, events: Stream.Stream<TokenEvent>): TokenManagerShape => {
  const slot = (request: TokenRequest | undefined) =>
    request === undefined
      ? Effect.succeed(engine.defaultSlot)
      : Effect.fromResult(engine.slotFor(request.scope, request.credentials))
  // Looking at a slot (status, invalidate, evict) is not a use: it neither creates nor refreshes one.
  const found = (request: TokenRequest | undefined) =>
    request === undefined
      ? Effect.succeed(engine.defaultSlot)
      : Effect.fromResult(engine.findSlot(request.scope, request.credentials))
  const tokenOf = (held: Held) => held.info.token
  // `getToken()` of the default scope: one Effect, built once; a cache hit returns the held
  // token's prebuilt `Effect.succeed` (no allocation).
  const getDefault = Effect.suspend(() => {
    const hit = engine.peek(engine.defaultSlot)
    return hit !== undefined ? hit.succeed : Effect.map(engine.get(engine.defaultSlot), tokenOf)
  })
  return {
    getToken: (request) =>
      request === undefined
        ? getDefault
        : Effect.flatMap(slot(request), (s) => {
            const hit = engine.peek(s)
            return hit !== undefined ? hit.succeed : Effect.map(engine.get(s), tokenOf)
          }),
    getManagedToken: (request) =>
      slot(request).pipe(
        Effect.flatMap(engine.get),
        Effect.map((held) => held.info)
      ),
    refresh: (request) =>
      slot(request).pipe(
        Effect.flatMap(engine.refresh),
        Effect.map((held) => held.info.token)
      ),
    invalidate: (request) =>
      Effect.flatMap(found(request), (s) =>
        Effect.sync(() => {
          const token = request?.token
          engine.invalidate(
            s,
            token === undefined ? undefined : Redacted.isRedacted(token) ? Redacted.value(token) : token
          )
        })
      ),
    status: (request) => Effect.flatMap(found(request), (s) => Effect.as(engine.updateGauges(s), engine.status(s))),
    statuses: Effect.suspend(() =>
      Effect.forEach(engine.slots(), (s) => Effect.as(engine.updateGauges(s), engine.status(s)))
    ),
    evict: (request) => Effect.flatMap(found(request), (s) => Effect.sync(() => engine.evict(s))),
    events
  }
}

/**
 * Builds a token manager in the current scope (closing it interrupts background work).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeTokenManager } from "@ipos/auth-core"
 * const program = Effect.scoped(Effect.gen(function* () {
 *   const manager = yield* makeTokenManager({ scope: "BatchReport" })
 *   return yield* manager.getToken()
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTokenManager = (
  options: TokenManagerOptions = {}
): Effect.Effect<TokenManagerShape, ValidationError, AuthApi | EffectScope.Scope> =>
  Effect.gen(function* () {
    const api = yield* AuthApi
    const credentials = yield* toCredentials(options.credentials)
    const scope = options.scope === undefined ? undefined : yield* Effect.fromResult(validateScope(options.scope))
    const store = Option.getOrUndefined(yield* Effect.serviceOption(TokenStore))
    // The events' `Stream` runs over a sliding PubSub (as the Promise facade's readers slide), made
    // before the engine so that it shuts down after it: what the engine emits while closing arrives.
    const pubsub = yield* PubSub.sliding<TokenEvent>(readerBufferSize)
    yield* Effect.addFinalizer(() => PubSub.shutdown(pubsub))
    const engine = yield* makeEngine(
      api,
      yield* Effect.fromResult(engineOptions({ ...options, scope, credentials, store }))
    )
    engine.subscribe((event) => {
      PubSub.publishUnsafe(pubsub, event)
    })
    return fromEngine(engine, Stream.fromPubSub(pubsub))
  })
