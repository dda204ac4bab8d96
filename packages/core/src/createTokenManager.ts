/**
 * The Promise facade, for teams without Effect: `createTokenManager(options)` returns a manager
 * whose `getToken()` resolves to the token as a plain string (callers put it in a header).
 *
 * It never throws: invalid options make every call reject with the `ValidationError` (and
 * `status()` report it). Failures reject with the typed error itself (`error._tag`, `error.kind`,
 * `error.code`, `error.message`). Background refreshes never produce an unhandled rejection.
 * Call `close()` when done: it stops background work (with `keepFresh`, timers too); calls made
 * after it, and calls still waiting, reject with `ManagerClosed`.
 *
 * The cache-hit path of `getToken()` never enters the Effect runtime: it checks the held token's
 * deadlines and returns the token's already-resolved promise.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { identity } from "effect/Function"
import * as Result from "effect/Result"
import * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import type { Fetch } from "./AuthApi.js"
import type { AuthConfig, AuthConfigInput } from "./Config.js"
import { summarize } from "./Failure.js"
import { makeAuthApi } from "./internal/authApi.js"
import { fromVariables, makeAuthConfig, variablesOf } from "./internal/config.js"
import { type Engine, engineOptions, type Held, makeEngine, type Slot, type TokenStatus } from "./internal/manager.js"
import { ManagerClosed } from "./ManagerClosed.js"
import type { RefreshPolicy } from "./RefreshWindow.js"
import type { RetryPolicy } from "./Retry.js"
import type { Environment, Scope as TokenScope } from "./Schemas.js"
import type { TokenEvent } from "./TokenEvents.js"
import type { TokenStoreShape } from "./TokenStore.js"
import type { Transport } from "./Transport.js"
import { ValidationError } from "./ValidationError.js"

/**
 * Options of {@link createTokenManager}.
 *
 * @example
 * ```ts
 * import { createTokenManager, type CreateTokenManagerOptions } from "@ipos/auth-core"
 * const options: CreateTokenManagerOptions = { fromEnv: process.env, scope: "Recurring", timeoutMs: 5000 }
 * createTokenManager(options)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateTokenManagerOptions {
  readonly apiKey?: string | undefined
  readonly secretKey?: string | undefined
  /** Default scope (default `PaymentTokenization`). */
  readonly scope?: TokenScope | undefined
  /** `sandbox` (default) or `production`. */
  readonly env?: Environment | undefined
  /** Base URL override (a local sandbox, Prism). */
  readonly baseUrl?: string | undefined
  /** Requested lifetime, 30…1440 minutes. */
  readonly expiryMinutes?: number | undefined
  /**
   * Read the `IPOS_*` variables from this record (e.g. `process.env`); explicit options win.
   * Without it nothing is read from the environment.
   */
  readonly fromEnv?: Readonly<Record<string, string | undefined>> | undefined
  /** The `fetch` under the generated client (default `globalThis.fetch`). */
  readonly fetch?: Fetch | undefined
  /** A plain transport instead of client + `fetch` (`nodeTransport` from `@ipos/auth-core/node`). */
  readonly transport?: Transport | undefined
  /** Extra request headers (tests: `Prefer` for Prism). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Per-attempt timeout in ms (default 10 000). */
  readonly timeoutMs?: number | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
  readonly refreshPolicy?: Partial<RefreshPolicy> | undefined
  /** Refresh on a timer too (long-running services); default `false`. */
  readonly keepFresh?: boolean | undefined
  /**
   * Share tokens across processes (e.g. `redisTokenStore({ url })` from `@ipos/auth-redis`);
   * default: nothing shared. A store is tied to the manager it is given to: one store per manager.
   */
  readonly store?: TokenStoreShape | undefined
  /**
   * Where the core's spans (`ipos.token.acquire`, `ipos.auth.*`) go, e.g. the tracer of
   * `@effect/opentelemetry`; default: Effect's own (no export).
   */
  readonly tracer?: Tracer.Tracer | undefined
}

/**
 * A token with its metadata, for Promise users (the token as a plain string).
 *
 * @example
 * ```ts
 * import type { TokenInfo } from "@ipos/auth-core"
 * const info: TokenInfo = await tokens.getTokenInfo()
 * console.log(info.fingerprint, new Date(info.expiresAt).toISOString())
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenInfo {
  readonly token: string
  readonly scope: TokenScope
  readonly fingerprint: string
  readonly via: "authenticate" | "refresh"
  /** Expiry on the local clock (epoch ms, skew-corrected). */
  readonly expiresAt: number
  /** Start of the refresh window (local clock). */
  readonly refreshAt: number
  readonly lifetimeMs: number
}

/**
 * The Promise facade.
 *
 * @example
 * ```ts
 * import { createTokenManager, type PromiseTokenManager } from "@ipos/auth-core"
 * const tokens: PromiseTokenManager = createTokenManager({ fromEnv: process.env })
 * await fetch(url, { headers: { token: await tokens.getToken() } })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface PromiseTokenManager {
  /** A valid token as a plain string. */
  readonly getToken: (scope?: TokenScope) => Promise<string>
  /** A valid token with its metadata. */
  readonly getTokenInfo: (scope?: TokenScope) => Promise<TokenInfo>
  /** Refreshes now (or joins the acquisition in flight). */
  readonly refresh: (scope?: TokenScope) => Promise<string>
  /**
   * Drops the held token after a downstream 401. Pass the token that was refused: when it is no
   * longer the held one (another caller already got a new one) nothing happens, so concurrent
   * 401s for one token cause one new acquisition. Without a token, whatever is current is dropped
   * — possibly a token another caller has just acquired.
   */
  readonly invalidate: (token?: string, scope?: TokenScope) => void
  /**
   * A snapshot of one scope. Never throws: for a scope that is not one of the four it reports that
   * scope as asked, `state: "empty"` and the `ValidationError` as `lastError` (as it does for every
   * scope when the options were invalid).
   */
  readonly status: (scope?: TokenScope) => TokenStatus
  /**
   * Drops a scope's token and stops its `keepFresh` timer until its next use (a scope no longer
   * needed). `true` when the scope was held; `false` for an unknown scope or after `close()`.
   * Always present on what `createTokenManager` returns; optional here only so that stand-ins
   * written against the interface before it existed still type-check.
   */
  readonly evict?: ((scope?: TokenScope) => boolean) | undefined
  /** Registers a listener; returns the function that removes it. Listener errors are ignored. */
  readonly onEvent: (listener: (event: TokenEvent) => void) => () => void
  /** Events as an async iterable (each `for await` gets its own subscription). */
  readonly events: AsyncIterable<TokenEvent>
  /** Stops background work; pending and later calls reject with `ManagerClosed`. Safe to call twice. */
  readonly close: () => Promise<void>
}

const toInfo = (held: Held): TokenInfo => ({
  token: held.value,
  scope: held.info.scope,
  fingerprint: held.info.fingerprint,
  via: held.info.via,
  expiresAt: held.info.localExpiresAt,
  refreshAt: held.info.refreshAt,
  lifetimeMs: held.info.lifetimeMs
})

const resolveConfig = (options: CreateTokenManagerOptions): Result.Result<AuthConfig, ValidationError> => {
  const explicit: AuthConfigInput = {
    apiKey: options.apiKey,
    secretKey: options.secretKey,
    scope: options.scope,
    env: options.env,
    baseUrl: options.baseUrl,
    expiryMinutes: options.expiryMinutes
  }
  if (options.fromEnv === undefined) return makeAuthConfig(explicit)
  const overrides = Object.fromEntries(
    Object.entries(explicit).filter(([, value]) => value !== undefined)
  ) as AuthConfigInput
  return fromVariables(variablesOf(options.fromEnv), overrides)
}

const build = (options: CreateTokenManagerOptions, scope: Scope.Closeable): Result.Result<Engine, ValidationError> => {
  const config = resolveConfig(options)
  if (Result.isFailure(config)) return Result.fail(config.failure)
  const { credentials, env, baseUrl, expiryMinutes } = config.success
  if (credentials === undefined) {
    return Result.fail(
      new ValidationError({
        field: options.fromEnv === undefined ? "apiKey" : "IPOS_API_KEY",
        reason:
          options.fromEnv === undefined
            ? "is missing (pass apiKey and secretKey, or fromEnv: process.env)"
            : "is missing (set IPOS_API_KEY and IPOS_SECRET_KEY)"
      })
    )
  }
  const exit = Effect.runSyncExit(
    Effect.gen(function* () {
      const api = yield* makeAuthApi({
        credentials,
        env,
        baseUrl,
        expiryMinutes,
        fetch: options.fetch,
        transport: options.transport,
        headers: options.headers,
        timeoutMs: options.timeoutMs,
        retry: options.retry
      })
      const checked = yield* Effect.fromResult(
        engineOptions({
          scope: config.success.scope,
          credentials,
          expiryMinutes,
          refreshPolicy: options.refreshPolicy,
          keepFresh: options.keepFresh,
          store: options.store
        })
      )
      return yield* makeEngine(api, checked)
    }).pipe(
      Scope.provide(scope),
      options.tracer === undefined ? identity : Effect.provideService(Tracer.Tracer, options.tracer)
    )
  )
  if (Exit.isSuccess(exit)) return Result.succeed(exit.value)
  const failure = Exit.findErrorOption(exit)
  return Result.fail(
    failure._tag === "Some" ? failure.value : new ValidationError({ field: "options", reason: "could not be used" })
  )
}

// The status of a scope no token can be held for: bad options, or an unknown scope asked for.
const failedStatus = (scope: TokenScope, error: ValidationError): TokenStatus => ({
  scope,
  credentialsId: "",
  state: "empty",
  degraded: false,
  inFlight: false,
  consecutiveFailures: 0,
  lastError: summarize(error),
  fingerprint: undefined,
  expiresAt: undefined,
  usableUntil: undefined,
  refreshAt: undefined,
  secondsToExpiry: undefined,
  clockOffsetMs: undefined
})

/**
 * Creates a token manager with a Promise API.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@ipos/auth-core"
 *
 * const tokens = createTokenManager({ fromEnv: process.env })        // IPOS_API_KEY, IPOS_SECRET_KEY, ...
 * const token = await tokens.getToken()
 * const res = await fetch(transactUrl, { headers: { token } })
 * if (res.status === 401) tokens.invalidate(token)       // this token, not whatever is current
 * tokens.onEvent((event) => console.log(event._tag, event.scope))
 * await tokens.close()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const createTokenManager = (
  options: CreateTokenManagerOptions = {}
): PromiseTokenManager & {
  /** {@link PromiseTokenManager.evict}, always present here. */
  readonly evict: (scope?: TokenScope) => boolean
} => {
  const scope = Scope.makeUnsafe()
  const built = build(options, scope)
  let closed = false

  if (Result.isFailure(built)) {
    const error = built.failure
    const reject = <A>(): Promise<A> => Promise.reject(error)
    return {
      getToken: reject,
      getTokenInfo: reject,
      refresh: reject,
      invalidate: () => {},
      status: (s) => failedStatus(s ?? options.scope ?? "PaymentTokenization", error),
      evict: () => false,
      onEvent: () => () => {},
      events: { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) },
      close: () => Promise.resolve()
    }
  }

  const engine = built.success
  const runPromise = Effect.runPromiseWith(engine.services)
  const runSync = Effect.runSyncWith(engine.services)
  const closedError = () => new ManagerClosed()

  const slotOf = (s: TokenScope | undefined) =>
    s === undefined ? Result.succeed(engine.defaultSlot) : engine.slotFor(s)
  // Looking at a scope (status, invalidate, evict) is not a use: it creates nothing.
  const foundOf = (s: TokenScope | undefined) =>
    s === undefined ? Result.succeed(engine.defaultSlot) : engine.findSlot(s)

  // Callers that find no valid token share one promise per slot (one fiber, however many callers).
  const waiting = new WeakMap<Slot, Promise<Held>>()
  const held = (s: TokenScope | undefined): Promise<Held> => {
    if (closed) return Promise.reject(closedError())
    const slot = slotOf(s)
    if (Result.isFailure(slot)) return Promise.reject(slot.failure)
    const hit = engine.peek(slot.success)
    if (hit !== undefined) return Promise.resolve(hit)
    if (engine.isClosed()) return Promise.reject(closedError())
    const pending = waiting.get(slot.success)
    if (pending !== undefined) return pending
    const shared = runPromise(engine.get(slot.success))
    waiting.set(slot.success, shared)
    const clear = () => {
      if (waiting.get(slot.success) === shared) waiting.delete(slot.success)
    }
    shared.then(clear, clear)
    return shared
  }

  return {
    getToken: (s) => {
      if (s === undefined && !closed) {
        // The cache-hit path: no fiber, no allocation — the held token's resolved promise.
        const hit = engine.peek(engine.defaultSlot)
        if (hit !== undefined) return hit.resolved
      }
      return held(s).then((h) => h.value)
    },
    getTokenInfo: (s) => held(s).then(toInfo),
    refresh: (s) => {
      if (closed || engine.isClosed()) return Promise.reject(closedError())
      const slot = slotOf(s)
      if (Result.isFailure(slot)) return Promise.reject(slot.failure)
      return runPromise(engine.refresh(slot.success)).then((h) => h.value)
    },
    invalidate: (token, s) => {
      const slot = foundOf(s)
      if (Result.isSuccess(slot)) engine.invalidate(slot.success, token)
    },
    status: (s) => {
      const slot = foundOf(s)
      // The scope asked for, not the default: a dashboard must not blame another scope.
      if (Result.isFailure(slot)) return failedStatus(s ?? options.scope ?? "PaymentTokenization", slot.failure)
      runSync(engine.updateGauges(slot.success))
      return engine.status(slot.success)
    },
    evict: (s) => {
      if (closed || engine.isClosed()) return false
      const slot = foundOf(s)
      return Result.isSuccess(slot) && engine.evict(slot.success)
    },
    onEvent: (listener) => engine.subscribe(listener),
    events: engine.events.iterable,
    close: () => {
      if (closed) return Promise.resolve()
      closed = true
      return runPromise(Scope.close(scope, Exit.void))
    }
  }
}
