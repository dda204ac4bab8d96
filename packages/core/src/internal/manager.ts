/**
 * The token manager's engine, shared by the Effect service and the Promise facade.
 *
 * State lives in plain mutable slots (one per credentials + scope). Every state transition is a
 * synchronous step with no yield point inside, so fibers cannot interleave within one: the single
 * in-flight acquisition of a slot is a `Deferred` installed synchronously by whoever finds the slot
 * without one, and everybody else awaits it. Acquisitions run in the manager's own `FiberSet`, not
 * in a caller's fiber: a caller that gives up (interruption, its own timeout) does not cancel the
 * acquisition the others wait on, and closing the manager interrupts everything.
 *
 * Time: a token is handed out only while BOTH the wall-clock and the monotonic deadlines are ahead.
 * The monotonic one protects against the wall clock being set back; the wall-clock one against a
 * suspended machine whose monotonic clock stood still.
 *
 * Invalidation targets a token: `invalidate(slot, token)` drops the held token only when it is the
 * refused one (a late 401 for an older token is a no-op), and an acquisition in flight that is
 * refreshing the refused token authenticates instead of handing out its refreshed descendant.
 * Without a token, whatever is current is dropped.
 *
 * Closing (the end of the engine's scope) makes every later call, and every call waiting on an
 * acquisition that closing interrupted, fail with `ManagerClosed`.
 *
 * Slots of the manager's own credentials (one per scope, at most four) are pinned: never evicted
 * by idleness or capacity, refreshed ahead with `keepFresh` whether used or not. Slots of
 * per-request credentials (a multi-tenant service) live in a map kept in least-recently-used order
 * (a use moves the slot to the end): a slot unused for `slotIdleMs` is evicted — lazily on the next
 * per-request call, or by its own `keepFresh` timer, which also refreshes it ahead only while it is
 * used within that time — and beyond `maxSlots` the least recently used is evicted. Eviction drops
 * the token, stops the timer and removes the slot's gauges; a caller waiting on an acquisition of an
 * evicted slot still gets its result.
 *
 * Sharing across processes: with a shared `TokenStore` (Redis), an acquisition goes through the
 * store, which either hands over a token another process put there (adopted when it is neither the
 * token being replaced nor a refused one, and not yet due) or lets exactly one process acquire and
 * share. Cache hits never touch the store. Store trouble never fails a caller: the store then runs
 * the acquisition here, and the engine emits `StoreDegraded` (once) and counts it, then
 * `StoreRecovered` when the store works again.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberSet from "effect/FiberSet"
import * as Metric from "effect/Metric"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type * as EffectScope from "effect/Scope"
import type { AuthApiShape, IssuedToken } from "../AuthApi.js"
import { isAuthRejection } from "../AuthError.js"
import type { ClockOffset } from "../ClockSkew.js"
import { type Credentials, credentialsId, makeCredentials } from "../Credentials.js"
import { type AuthFailure, type FailureSummary, summarize } from "../Failure.js"
import { ManagerClosed } from "../ManagerClosed.js"
import * as Metrics from "../Metrics.js"
import { backgroundRetryDelay, planRefresh, type RefreshPolicy, validateRefreshPolicy } from "../RefreshWindow.js"
import type { Scope } from "../Schemas.js"
import type { TokenEvent } from "../TokenEvents.js"
import { memoryTokenStore, type SharedToken, type TokenStoreShape } from "../TokenStore.js"
import { MalformedResponse } from "../TransportError.js"
import { ValidationError, validateExpiryMinutes, validateScope } from "../ValidationError.js"
import { type EventHub, makeEventHub } from "./events.js"
import { MAX_DURATION_MS, optionalBoolean, optionalNumber } from "./options.js"
import { shortHash } from "./redact.js"
import { isCompactJwt } from "./wire.js"

/** Public metadata of a held token. */
export interface ManagedToken {
  readonly token: Redacted.Redacted<string>
  readonly scope: Scope
  readonly credentialsId: string
  readonly fingerprint: string
  readonly via: "authenticate" | "refresh"
  readonly createdDt: string
  readonly issuedAt: number | undefined
  readonly expiresAt: number
  readonly localExpiresAt: number
  readonly usableUntil: number
  readonly refreshAt: number
  readonly lifetimeMs: number
  readonly clockOffsetMs: number
}

/** Where a slot stands. */
export type TokenState = "empty" | "acquiring" | "valid" | "refreshing" | "degraded" | "expired"

/** A snapshot of a slot, safe to serve from a status endpoint. */
export interface TokenStatus {
  readonly scope: Scope
  readonly credentialsId: string
  readonly state: TokenState
  readonly degraded: boolean
  readonly inFlight: boolean
  readonly consecutiveFailures: number
  readonly lastError: FailureSummary | undefined
  readonly fingerprint: string | undefined
  readonly expiresAt: number | undefined
  readonly usableUntil: number | undefined
  readonly refreshAt: number | undefined
  readonly secondsToExpiry: number | undefined
  readonly clockOffsetMs: number | undefined
}

/** Options of the engine. */
export interface EngineOptions {
  readonly scope: Scope
  readonly credentials: Credentials | undefined
  readonly expiryMinutes: number | undefined
  readonly refreshPolicy: RefreshPolicy
  readonly keepFresh: boolean
  readonly refreshFailuresBeforeReauthenticate: number
  /** A slot of per-request credentials unused this long is evicted. */
  readonly slotIdleMs: number
  /** At most this many slots of per-request credentials; the least recently used goes first. */
  readonly maxSlots: number
  /** Where tokens are shared between processes (`memoryTokenStore`: nowhere). */
  readonly store: TokenStoreShape
}

export interface Held {
  readonly value: string
  /** `value` as an already-resolved promise: the Promise facade's cache hit allocates nothing. */
  readonly resolved: Promise<string>
  /** `info.token` as an Effect: the Effect API's cache hit allocates nothing. */
  readonly succeed: Effect.Effect<Redacted.Redacted<string>>
  readonly info: ManagedToken
  readonly expiresAtWall: number
  readonly expiresAtMono: number
  readonly usableUntilWall: number
  readonly usableUntilMono: number
  readonly refreshAtWall: number
  readonly refreshAtMono: number
  readonly windowMs: number
}

export interface Slot {
  readonly scope: Scope
  readonly credentials: Credentials | undefined
  readonly credentialsId: string
  /** The slot's name in a shared store: hashes of the server and credential set, and the scope. */
  readonly storeKey: string
  /**
   * The slot's key in the map of per-request credentials (it holds the key values: `Redacted`);
   * `undefined` for the pinned slots of the manager's own credentials.
   */
  readonly key: Redacted.Redacted<string> | undefined
  /** Monotonic time of the last use (per-request slots only). */
  lastUsedMono: number
  /** Not registered (evicted, or only looked at): nothing is scheduled or measured for it. */
  detached: boolean
  held: Held | undefined
  inflight: Deferred.Deferred<Held, AuthFailure> | undefined
  failures: number
  lastError: FailureSummary | undefined
  nextAttemptMono: number
  degraded: boolean
  timer: Fiber.Fiber<void> | undefined
  /** The last token invalidated (refused downstream): never refreshed into the next one. */
  refused: string | undefined
  /** Consecutive acquisitions whose token arrived already due for a refresh. */
  dueOnArrival: number
}

export interface Engine {
  readonly defaultSlot: Slot
  readonly services: Context.Context<never>
  /** The slot to use (created when new; a per-request slot counts as used now). */
  readonly slotFor: (scope?: Scope, credentials?: Credentials) => Result.Result<Slot, ValidationError>
  /**
   * The slot to look at, not a use: the registered one, or a fresh unregistered one (`empty`) when
   * there is none, so that a status read or an invalidation creates nothing.
   */
  readonly findSlot: (scope?: Scope, credentials?: Credentials) => Result.Result<Slot, ValidationError>
  /**
   * Evicts a slot: drops its token, stops its timer, removes its gauges and (except the default
   * scope's, which stays registered) removes it. Returns whether it was registered.
   */
  readonly evict: (slot: Slot) => boolean
  /**
   * Synchronous cache hit (may start a background refresh); `undefined` when the slow path is
   * needed (or the engine is closed).
   */
  readonly peek: (slot: Slot) => Held | undefined
  /** A usable token: the held one, or the result of the single in-flight acquisition. */
  readonly get: (slot: Slot) => Effect.Effect<Held, AuthFailure>
  /** Starts (or joins) an acquisition now, even if the held token is fresh. */
  readonly refresh: (slot: Slot) => Effect.Effect<Held, AuthFailure>
  /**
   * Drops the held token after a downstream refusal. With `token`: only when it is the held one
   * (a stale token is a no-op), and an in-flight refresh of it does not count. Without: whatever is
   * held. Returns whether a token was dropped.
   */
  readonly invalidate: (slot: Slot, token?: string) => boolean
  /** Whether the engine's scope was closed. */
  readonly isClosed: () => boolean
  readonly status: (slot: Slot) => TokenStatus
  readonly slots: () => ReadonlyArray<Slot>
  readonly subscribe: (listener: (event: TokenEvent) => void) => () => void
  /** Where events go: listeners and readers (closed with the engine's scope). */
  readonly events: EventHub
  /** Sets the gauges of a slot to their current values. */
  readonly updateGauges: (slot: Slot) => Effect.Effect<void>
}

const NEAR_EXPIRY_SHARE_OF_WINDOW = 0.25

/** A number in [0, 1) drawn from a token's characters (FNV-1a): the same in every process. */
export const tokenUniform = (token: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) / 0x1_0000_0000
}
/** Defaults of the per-request slot bounds. */
const defaultSlotIdleMs = 15 * 60_000
const defaultMaxSlots = 10_000
const GAUGE_PERIOD_MS = 1000

/**
 * The monotonic clock in milliseconds, read on every cache hit. For Effect's live clock (whose
 * monotonic time is `process.hrtime.bigint()` on Node, `performance.now()` elsewhere) it is read
 * through `performance.now()` — the same source on Node, without a BigInt per read — anchored
 * once to the clock's own reading. Any other clock (a `TestClock`, a custom one) is read as it is.
 */
export const monotonicMillis = (clock: Clock.Clock): (() => number) => {
  const read = () => Number(clock.monotonicTimeNanosUnsafe()) / 1e6
  const perf = globalThis.performance
  if (clock !== Context.get(Context.empty(), Clock.Clock) || typeof perf?.now !== "function") return read
  // The anchor from the tightest of a few bracketed readings (sub-microsecond on an idle machine).
  let base = 0
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < 5; i++) {
    const before = read()
    const now = perf.now()
    const after = read()
    if (after - before < best) {
      best = after - before
      base = (before + after) / 2 - now
    }
  }
  return () => perf.now() + base
}

/** Builds the engine; everything it forks is interrupted when the scope closes. */
export const makeEngine = (
  api: AuthApiShape,
  options: EngineOptions
): Effect.Effect<Engine, ValidationError, EffectScope.Scope> =>
  Effect.gen(function* () {
    const clock = yield* Clock.Clock
    const random = yield* Random.Random
    const services = yield* Effect.context<never>()
    const fibers = yield* FiberSet.make<unknown, unknown>()
    const run = yield* FiberSet.runtime(fibers)<never>()
    const hub = makeEventHub()
    yield* Effect.addFinalizer(() => Effect.sync(hub.close))
    // Finalizers run last-in first-out: `closed` is set before the fibers are interrupted, so the
    // acquisitions interrupted by closing settle with `ManagerClosed`.
    let closed = false
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        closed = true
      })
    )
    const policy = options.refreshPolicy
    const store = options.store
    if (store.start !== undefined) yield* store.start
    const serverId = shortHash(api.baseUrl)
    const defaultCredentials = options.credentials ?? api.credentials
    if (defaultCredentials === undefined) {
      return yield* new ValidationError({
        field: "apiKey",
        reason: "is missing (pass credentials, or set IPOS_API_KEY and IPOS_SECRET_KEY)"
      })
    }

    const wallNow = () => clock.currentTimeMillisUnsafe()
    const monoNow = monotonicMillis(clock)

    const emit = hub.emit

    const makeSlot = (scope: Scope, credentials: Credentials | undefined, key?: string): Slot => {
      const id = credentialsId(credentials ?? defaultCredentials)
      return {
        scope,
        credentials,
        credentialsId: id,
        storeKey: `${serverId}:${id}:${scope}`,
        key: key === undefined ? undefined : Redacted.make(key),
        lastUsedMono: Number.NEGATIVE_INFINITY,
        detached: false,
        held: undefined,
        inflight: undefined,
        failures: 0,
        lastError: undefined,
        nextAttemptMono: Number.NEGATIVE_INFINITY,
        degraded: false,
        timer: undefined,
        refused: undefined,
        dueOnArrival: 0
      }
    }

    const defaultSlots = new Map<Scope, Slot>()
    // Least recently used first: a use moves a slot to the end (see `touch`).
    const otherSlots = new Map<string, Slot>()
    const defaultSlot = makeSlot(options.scope, undefined)
    defaultSlots.set(options.scope, defaultSlot)
    // The slot at the end of `otherSlots`: touching it again needs no move.
    let newest: Slot | undefined
    // No per-request slot can be idle before this time: the sweep is skipped until then.
    let nextSweepMono = Number.POSITIVE_INFINITY

    const removeGauges = (slot: Slot): void => {
      const labels = { scope: slot.scope, credentials: slot.credentialsId }
      for (const gauge of [Metrics.expiresAt, Metrics.secondsToExpiry, Metrics.degraded]) {
        Metric.removeUnsafe(Metric.withAttributes(gauge, labels), services)
      }
    }

    /** Drops what a slot holds and, unless it is the default scope's, unregisters it. */
    const drop = (slot: Slot, reason: "idle" | "capacity" | "explicit"): void => {
      if (slot.key !== undefined) {
        otherSlots.delete(Redacted.value(slot.key))
        if (newest === slot) newest = undefined
      } else if (slot !== defaultSlot) {
        defaultSlots.delete(slot.scope)
      }
      if (slot !== defaultSlot) slot.detached = true
      slot.timer?.interruptUnsafe()
      slot.timer = undefined
      const h = slot.held
      slot.held = undefined
      slot.degraded = false
      slot.failures = 0
      slot.lastError = undefined
      slot.nextAttemptMono = Number.NEGATIVE_INFINITY
      removeGauges(slot)
      emit({
        scope: slot.scope,
        credentialsId: slot.credentialsId,
        at: wallNow(),
        _tag: "Evicted",
        reason,
        fingerprint: h?.info.fingerprint
      })
    }

    const idle = (slot: Slot, mono: number) => slot.key !== undefined && mono - slot.lastUsedMono >= options.slotIdleMs

    /** Evicts, oldest first, the per-request slots beyond the cap and those unused for too long. */
    const sweep = (mono: number): void => {
      if (mono < nextSweepMono && otherSlots.size <= options.maxSlots) return
      for (const slot of otherSlots.values()) {
        if (otherSlots.size > options.maxSlots) drop(slot, "capacity")
        else if (idle(slot, mono)) drop(slot, "idle")
        else break
      }
      const oldest = otherSlots.values().next()
      nextSweepMono = oldest.done === true ? Number.POSITIVE_INFINITY : oldest.value.lastUsedMono + options.slotIdleMs
    }

    /** A use of a per-request slot: it becomes the most recently used. */
    const touch = (slot: Slot, key: string, mono: number): void => {
      slot.lastUsedMono = mono
      if (newest === slot) return
      otherSlots.delete(key)
      otherSlots.set(key, slot)
      newest = slot
    }

    // Keyed by the key values themselves; the map is private and never printed.
    const keyOf = (credentials: Credentials, scope: string) =>
      `${Redacted.value(credentials.apiKey)}\u0000${Redacted.value(credentials.secretKey)}\u0000${scope}`

    const lookup = (
      scope: Scope | undefined,
      credentials: Credentials | undefined,
      use: boolean
    ): Result.Result<Slot, ValidationError> => {
      if (credentials === undefined) {
        if (scope === undefined) return Result.succeed(defaultSlot)
        const known = defaultSlots.get(scope)
        if (known !== undefined) return Result.succeed(known)
        return Result.map(validateScope(scope), (valid) => {
          const slot = makeSlot(valid, undefined)
          if (use) defaultSlots.set(valid, slot)
          else slot.detached = true
          return slot
        })
      }
      // A known key was validated when its slot was made: the hit path validates nothing.
      const key = keyOf(credentials, scope ?? options.scope)
      const known = otherSlots.get(key)
      if (known !== undefined) {
        if (use) {
          const mono = monoNow()
          touch(known, key, mono)
          sweep(mono)
        }
        return Result.succeed(known)
      }
      return Result.gen(function* () {
        const valid = yield* validateScope(scope ?? options.scope)
        if (!use) {
          const looked = makeSlot(valid, yield* makeCredentials(credentials), key)
          looked.detached = true
          return looked
        }
        const mono = monoNow()
        // Checked once per credential set, before anything is sent with it.
        const slot = makeSlot(valid, yield* makeCredentials(credentials), key)
        slot.lastUsedMono = mono
        otherSlots.set(key, slot)
        newest = slot
        nextSweepMono = Math.min(nextSweepMono, mono + options.slotIdleMs)
        sweep(mono)
        return slot
      })
    }

    const slotFor = (scope?: Scope, credentials?: Credentials) => lookup(scope, credentials, true)
    const findSlot = (scope?: Scope, credentials?: Credentials) => lookup(scope, credentials, false)

    const evict = (slot: Slot): boolean => {
      const registered =
        slot.key === undefined
          ? defaultSlots.get(slot.scope) === slot
          : otherSlots.get(Redacted.value(slot.key)) === slot
      if (registered) drop(slot, "explicit")
      return registered
    }

    const usable = (h: Held, wall: number, mono: number) => wall < h.usableUntilWall && mono < h.usableUntilMono
    const due = (h: Held, wall: number, mono: number) => wall >= h.refreshAtWall || mono >= h.refreshAtMono

    const toHeld = (
      slot: Slot,
      issued: IssuedToken,
      via: "authenticate" | "refresh"
    ): Result.Result<Held, AuthFailure> => {
      // Time left, measured from the start of the request (the conservative end).
      const remaining = issued.localExpiresAt - issued.requestedAt
      const expiresAtWall = issued.localExpiresAt
      const expiresAtMono = issued.requestedAtMonotonic + remaining
      // Both local times are capped (see `maxTokenLifetimeMs`): an absurd exp gives no absurd lifetime.
      const lifetimeMs = Math.max(
        0,
        issued.localIssuedAt === undefined
          ? remaining
          : Math.max(remaining, issued.localExpiresAt - issued.localIssuedAt)
      )
      const value = Redacted.value(issued.token)
      // Shared tokens: every process draws the same point in the refresh window from the token
      // itself, so they all find it due together and one refresh serves them all; independent
      // draws would refresh each token at the earliest of N points.
      const plan = planRefresh(lifetimeMs, policy, store.shared ? tokenUniform(value) : random.nextDoubleUnsafe())
      const held: Held = {
        value,
        resolved: Promise.resolve(value),
        succeed: Effect.succeed(issued.token),
        info: {
          token: issued.token,
          scope: slot.scope,
          credentialsId: slot.credentialsId,
          fingerprint: issued.fingerprint,
          via,
          createdDt: issued.createdDt,
          issuedAt: issued.issuedAt,
          expiresAt: issued.expiresAt,
          localExpiresAt: expiresAtWall,
          usableUntil: expiresAtWall - plan.marginMs,
          refreshAt: expiresAtWall - plan.refreshLeadMs,
          lifetimeMs,
          clockOffsetMs: issued.clockOffset.offsetMs
        },
        expiresAtWall,
        expiresAtMono,
        usableUntilWall: expiresAtWall - plan.marginMs,
        usableUntilMono: expiresAtMono - plan.marginMs,
        refreshAtWall: expiresAtWall - plan.refreshLeadMs,
        refreshAtMono: expiresAtMono - plan.refreshLeadMs,
        windowMs: plan.windowMs
      }
      if (!usable(held, wallNow(), monoNow())) {
        return Result.fail(
          new MalformedResponse({
            operation: issued.operation,
            status: 200,
            reason: "a token that is already expired (or within its safety margin) on arrival; check both clocks",
            excerpt: ""
          })
        )
      }
      return Result.succeed(held)
    }

    const gauges = (slot: Slot): Effect.Effect<void> =>
      Effect.suspend(() => {
        // A detached slot's series were removed: updating them would bring them back.
        if (slot.detached) return Effect.void
        const h = slot.held
        const seconds = h === undefined ? 0 : Math.max(0, (h.expiresAtWall - wallNow()) / 1000)
        const labels = { scope: slot.scope, credentials: slot.credentialsId }
        return Effect.all([
          Metric.update(Metric.withAttributes(Metrics.expiresAt, labels), h === undefined ? 0 : h.expiresAtWall / 1000),
          Metric.update(Metric.withAttributes(Metrics.secondsToExpiry, labels), seconds),
          Metric.update(Metric.withAttributes(Metrics.degraded, labels), slot.degraded ? 1 : 0)
        ]).pipe(Effect.asVoid)
      })

    /** One acquisition here: refresh when sensible, authenticate otherwise or when the refresh is refused. */
    const acquireHere = (slot: Slot): Effect.Effect<Held, AuthFailure> =>
      Effect.gen(function* () {
        const current = slot.held
        const wall = wallNow()
        const mono = monoNow()
        const nearExpiry =
          current !== undefined && current.usableUntilMono - mono < current.windowMs * NEAR_EXPIRY_SHARE_OF_WINDOW
        const tryRefresh =
          current !== undefined &&
          usable(current, wall, mono) &&
          !nearExpiry &&
          slot.failures < options.refreshFailuresBeforeReauthenticate
        const authenticate = api.authenticate({
          scope: slot.scope,
          expiryMinutes: options.expiryMinutes,
          ...(slot.credentials === undefined ? { credentials: defaultCredentials } : { credentials: slot.credentials })
        })
        let via: "authenticate" | "refresh" = tryRefresh ? "refresh" : "authenticate"
        let result: Result.Result<IssuedToken, AuthFailure>
        if (tryRefresh && current !== undefined) {
          result = yield* Effect.result(
            api.refresh(current.info.token, { fallbackExpiryMinutes: options.expiryMinutes })
          )
          if (Result.isFailure(result) && isAuthRejection(result.failure)) {
            // Refused (AUTH_ERR_006/007/008 and any other refusal): a fresh authentication instead.
            yield* Effect.logDebug("iPOSpays refresh refused; authenticating instead", {
              scope: slot.scope,
              error: result.failure.message
            })
            via = "authenticate"
            result = yield* Effect.result(authenticate)
          } else if (slot.refused === current.value) {
            // The token being refreshed was refused downstream meanwhile (`invalidate`): its
            // refreshed descendant is not handed out; the callers get a new authentication.
            yield* Effect.logDebug("iPOSpays token invalidated during its refresh; authenticating instead", {
              scope: slot.scope
            })
            via = "authenticate"
            result = yield* Effect.result(authenticate)
          }
        } else {
          result = yield* Effect.result(authenticate)
        }
        const held = Result.flatMap(result, (issued) => toHeld(slot, issued, via))
        yield* Metric.update(
          Metric.withAttributes(Metrics.acquisitionsTotal, {
            scope: slot.scope,
            via,
            outcome: Result.isSuccess(held) ? "success" : "failure",
            code: Result.isSuccess(held) ? "none" : "code" in held.failure ? held.failure.code : held.failure._tag
          }),
          1
        )
        return yield* Effect.fromResult(held)
      }).pipe(Effect.withSpan("ipos.token.acquire", { attributes: { "ipos.scope": slot.scope } }))

    /** Store trouble is reported once per episode (event), and counted every time (metric). */
    let storeTrouble: string | undefined
    const reportStore = (slot: Slot, degraded: string | undefined): Effect.Effect<void> => {
      const base = { scope: slot.scope, credentialsId: slot.credentialsId, at: wallNow() }
      if (degraded === undefined) {
        if (storeTrouble !== undefined) {
          storeTrouble = undefined
          emit({ ...base, _tag: "StoreRecovered" })
        }
        return Effect.void
      }
      if (storeTrouble === undefined) emit({ ...base, _tag: "StoreDegraded", reason: degraded })
      storeTrouble = degraded
      return Metric.update(Metrics.storeDegradedTotal, 1)
    }

    const toShared = (held: Held): SharedToken => ({
      token: held.value,
      fingerprint: held.info.fingerprint,
      via: held.info.via,
      createdDt: held.info.createdDt,
      issuedAt: held.info.issuedAt,
      expiresAt: held.info.expiresAt,
      localIssuedAt: held.info.localExpiresAt - held.info.lifetimeMs,
      localExpiresAt: held.info.localExpiresAt,
      clockOffsetMs: held.info.clockOffsetMs
    })

    /** A token another process acquired, as if it had been received here now. */
    const fromShared = (slot: Slot, shared: SharedToken): Result.Result<Held, AuthFailure> => {
      // A store is another trust boundary (a Redis others can write): what it hands back goes into
      // request headers, so it must be a token the service could have sent (no CR/LF, no spaces).
      if (!isCompactJwt(shared.token)) {
        return Result.fail(
          new MalformedResponse({
            operation: shared.via,
            status: 200,
            reason: "a shared token from the token store that is not a compact JWT",
            excerpt: ""
          })
        )
      }
      const wall = wallNow()
      const clockOffset: ClockOffset = { offsetMs: shared.clockOffsetMs, source: "previous" }
      return toHeld(
        slot,
        {
          token: Redacted.make(shared.token),
          operation: shared.via,
          scope: slot.scope,
          claimScope: undefined,
          fingerprint: shared.fingerprint,
          createdDt: shared.createdDt,
          issuedAt: shared.issuedAt,
          expiresAt: shared.expiresAt,
          expirySource: "exp",
          requestedAt: wall,
          requestedAtMonotonic: monoNow(),
          receivedAt: wall,
          clockOffset,
          localExpiresAt: shared.localExpiresAt,
          localIssuedAt: shared.localIssuedAt,
          attempts: 1
        },
        shared.via
      )
    }

    /** One acquisition, through the store when it is shared. */
    const acquire = (slot: Slot): Effect.Effect<Held, AuthFailure> => {
      if (!store.shared) return acquireHere(slot)
      return Effect.suspend(() => {
        const current = slot.held
        let adopted: Held | undefined
        let mine: Held | undefined
        const adopt = (shared: SharedToken): boolean => {
          if (shared.token === current?.value || shared.token === slot.refused) return false
          const held = fromShared(slot, shared)
          if (Result.isFailure(held) || due(held.success, wallNow(), monoNow())) return false
          adopted = held.success
          return true
        }
        const here = Effect.map(acquireHere(slot), (held) => {
          mine = held
          return toShared(held)
        })
        return Effect.flatMap(store.acquire(slot.storeKey, adopt, here), (outcome) =>
          Effect.flatMap(reportStore(slot, outcome.degraded), () => {
            const token = outcome.token.token
            if (mine !== undefined && mine.value === token) return Effect.succeed(mine)
            if (adopted !== undefined && adopted.value === token) return Effect.succeed(adopted)
            return Effect.fromResult(fromShared(slot, outcome.token))
          })
        )
      })
    }

    const settle = (
      slot: Slot,
      deferred: Deferred.Deferred<Held, AuthFailure>,
      exit: Exit.Exit<Held, AuthFailure>,
      startedWall: number
    ): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (slot.inflight === deferred) slot.inflight = undefined
        const wall = wallNow()
        const mono = monoNow()
        const effects: Array<Effect.Effect<void>> = []
        const base = { scope: slot.scope, credentialsId: slot.credentialsId, at: wall }
        if (Exit.isSuccess(exit)) {
          const held = exit.value
          const wasDegraded = slot.degraded
          slot.held = held
          slot.failures = 0
          slot.degraded = false
          slot.lastError = undefined
          if (due(held, wall, mono)) {
            // Already due for a refresh on arrival (most of its lifetime spent, e.g. a stale iat,
            // or a window as long as the token). One refresh may follow at once; when that one
            // arrives due too, refreshing again at once would loop: back off as after a failure
            // (1 s, 2 s, … at most a quarter of the time left).
            slot.dueOnArrival += 1
            const remaining = Math.min(held.usableUntilWall - wall, held.usableUntilMono - mono)
            slot.nextAttemptMono =
              slot.dueOnArrival < 2
                ? Number.NEGATIVE_INFINITY
                : mono + backgroundRetryDelay(slot.dueOnArrival - 1, remaining)
          } else {
            slot.dueOnArrival = 0
            slot.nextAttemptMono = Number.NEGATIVE_INFINITY
          }
          emit({
            ...base,
            _tag: held.info.via === "refresh" ? "Refreshed" : "Minted",
            fingerprint: held.info.fingerprint,
            expiresAt: held.expiresAtWall,
            refreshAt: held.refreshAtWall,
            lifetimeMs: held.info.lifetimeMs,
            clockOffsetMs: held.info.clockOffsetMs,
            durationMs: Math.max(0, wall - startedWall)
          })
          if (wasDegraded) emit({ ...base, _tag: "Recovered", fingerprint: held.info.fingerprint })
        } else {
          const failure = Exit.findErrorOption(exit)
          if (failure._tag === "Some") {
            const error = failure.value
            const summary = summarize(error)
            slot.lastError = summary
            const h = slot.held
            if (h !== undefined && usable(h, wall, mono)) {
              slot.failures += 1
              const remaining = Math.min(h.usableUntilWall - wall, h.usableUntilMono - mono)
              const delay = backgroundRetryDelay(slot.failures, remaining)
              slot.nextAttemptMono = mono + delay
              emit({
                ...base,
                _tag: "RefreshFailed",
                error: summary,
                consecutiveFailures: slot.failures,
                expiresAt: h.expiresAtWall,
                retryAt: wall + delay
              })
              if (!slot.degraded) {
                slot.degraded = true
                emit({ ...base, _tag: "Degraded", consecutiveFailures: slot.failures, expiresAt: h.expiresAtWall })
              }
              effects.push(
                Effect.logDebug("iPOSpays token refresh failed; serving the current token", {
                  scope: slot.scope,
                  consecutiveFailures: slot.failures,
                  error: summary.message
                })
              )
            } else {
              emit({ ...base, _tag: "AcquisitionFailed", error: summary })
            }
          }
        }
        Deferred.doneUnsafe(
          deferred,
          closed && Exit.isFailure(exit) && Exit.hasInterrupts(exit) ? Exit.fail(new ManagerClosed()) : exit
        )
        effects.push(gauges(slot))
        if (options.keepFresh) schedule(slot)
        return Effect.all(effects, { discard: true })
      })

    const start = (slot: Slot): Deferred.Deferred<Held, AuthFailure> => {
      const deferred = Deferred.makeUnsafe<Held, AuthFailure>()
      slot.inflight = deferred
      const startedWall = wallNow()
      const fiber = run(acquire(slot).pipe(Effect.onExit((exit) => settle(slot, deferred, exit, startedWall))))
      if (fiber.pollUnsafe() !== undefined && !Deferred.isDoneUnsafe(deferred)) {
        // The manager is closed: nothing will run, so nobody may wait.
        if (slot.inflight === deferred) slot.inflight = undefined
        Deferred.doneUnsafe(deferred, Exit.fail(new ManagerClosed()))
      }
      return deferred
    }

    const expire = (slot: Slot, h: Held): void => {
      if (slot.held !== h) return
      slot.held = undefined
      slot.degraded = false
      emit({
        scope: slot.scope,
        credentialsId: slot.credentialsId,
        at: wallNow(),
        _tag: "Expired",
        fingerprint: h.info.fingerprint,
        expiresAt: h.expiresAtWall
      })
    }

    const peek = (slot: Slot): Held | undefined => {
      const h = slot.held
      if (h === undefined || closed) return undefined
      const wall = wallNow()
      if (wall >= h.usableUntilWall) return undefined
      const mono = monoNow()
      if (mono >= h.usableUntilMono) return undefined
      if (
        (wall >= h.refreshAtWall || mono >= h.refreshAtMono) &&
        slot.inflight === undefined &&
        mono >= slot.nextAttemptMono
      ) {
        start(slot)
      }
      return h
    }

    const MAX_ROUNDS = 2
    const get = (slot: Slot, round = 1): Effect.Effect<Held, AuthFailure> =>
      Effect.suspend(() => {
        const hit = peek(slot)
        if (hit !== undefined) return Effect.succeed(hit)
        if (closed) return Effect.fail(new ManagerClosed())
        const h = slot.held
        if (h !== undefined) expire(slot, h)
        const deferred = slot.inflight ?? start(slot)
        return Effect.flatMap(Deferred.await(deferred), (held) => {
          if (usable(held, wallNow(), monoNow())) return Effect.succeed(held)
          if (round < MAX_ROUNDS) return get(slot, round + 1)
          return Effect.fail(
            new MalformedResponse({
              operation: held.info.via,
              status: 200,
              reason: "a token that expired before it could be handed out; check both clocks",
              excerpt: ""
            })
          )
        })
      })

    const refresh = (slot: Slot): Effect.Effect<Held, AuthFailure> =>
      Effect.suspend(() => (closed ? Effect.fail(new ManagerClosed()) : Deferred.await(slot.inflight ?? start(slot))))

    const invalidate = (slot: Slot, token?: string): boolean => {
      const h = slot.held
      if (h === undefined) return false
      // A refusal of another token (an older one, already replaced) says nothing about this one.
      if (token !== undefined && token !== h.value) return false
      slot.held = undefined
      slot.refused = h.value
      slot.degraded = false
      if (store.shared) {
        // So that every process refused this token causes one new acquisition, not one each.
        run(Effect.flatMap(store.invalidate(slot.storeKey, h.value), (degraded) => reportStore(slot, degraded)))
      }
      emit({
        scope: slot.scope,
        credentialsId: slot.credentialsId,
        at: wallNow(),
        _tag: "Invalidated",
        fingerprint: h.info.fingerprint
      })
      return true
    }

    /**
     * keepFresh: wake up when the next thing is due for this slot. A pinned slot (the manager's own
     * credentials) also wakes at least every second while it holds a token, to keep its gauges
     * current for scrapes; a per-request slot wakes only for its refresh or its eviction (thousands
     * of tenants must not mean thousands of wake-ups a second), and is refreshed ahead only while it
     * is used within `slotIdleMs`. Nothing is scheduled while no token is held, so an idle manager
     * keeps no process alive.
     */
    const schedule = (slot: Slot): void => {
      slot.timer?.interruptUnsafe()
      slot.timer = undefined
      const h = slot.held
      if (h === undefined || slot.detached) return
      const mono = monoNow()
      const pinned = slot.key === undefined
      const refreshTarget = Math.max(h.refreshAtMono, slot.nextAttemptMono)
      const target = Math.min(
        refreshTarget,
        h.usableUntilMono,
        pinned ? Number.POSITIVE_INFINITY : slot.lastUsedMono + options.slotIdleMs
      )
      const wait = Math.max(0, Math.ceil(target - mono))
      const delay = pinned ? Math.min(GAUGE_PERIOD_MS, wait) : wait
      slot.timer = run(
        Effect.sleep(delay).pipe(
          Effect.andThen(
            Effect.suspend(() => {
              slot.timer = undefined
              const current = slot.held
              if (current !== h || slot.detached) return Effect.void
              const wall = wallNow()
              const now = monoNow()
              if (idle(slot, now)) {
                drop(slot, "idle")
                return Effect.void
              }
              if (!usable(current, wall, now)) {
                expire(slot, current)
                if (slot.inflight === undefined) start(slot)
                return Effect.void
              }
              if (due(current, wall, now) && slot.inflight === undefined && now >= slot.nextAttemptMono) {
                start(slot)
              } else if (slot.inflight === undefined) {
                schedule(slot)
              }
              return gauges(slot)
            })
          )
        )
      )
    }

    const status = (slot: Slot): TokenStatus => {
      const wall = wallNow()
      const mono = monoNow()
      const h = slot.held
      const isUsable = h !== undefined && usable(h, wall, mono)
      const state: TokenState =
        h === undefined
          ? slot.inflight === undefined
            ? "empty"
            : "acquiring"
          : !isUsable
            ? "expired"
            : slot.degraded
              ? "degraded"
              : slot.inflight !== undefined || due(h, wall, mono)
                ? "refreshing"
                : "valid"
      return {
        scope: slot.scope,
        credentialsId: slot.credentialsId,
        state,
        degraded: slot.degraded && isUsable,
        inFlight: slot.inflight !== undefined,
        consecutiveFailures: slot.failures,
        lastError: slot.lastError,
        fingerprint: h?.info.fingerprint,
        expiresAt: h?.expiresAtWall,
        usableUntil: h?.usableUntilWall,
        refreshAt: h?.refreshAtWall,
        secondsToExpiry: h === undefined ? undefined : Math.max(0, (h.expiresAtWall - wall) / 1000),
        clockOffsetMs: h?.info.clockOffsetMs
      }
    }

    return {
      defaultSlot,
      services,
      slotFor,
      findSlot,
      evict,
      peek,
      get: (slot) => get(slot),
      refresh,
      invalidate,
      isClosed: () => closed,
      status,
      slots: () => {
        sweep(monoNow())
        return [...defaultSlots.values(), ...otherSlots.values()]
      },
      subscribe: (listener) => hub.subscribe(listener),
      events: hub,
      updateGauges: gauges
    } satisfies Engine
  })

/** What the manager's callers may set; `engineOptions` checks it. */
export interface EngineInput {
  readonly scope?: Scope | undefined
  readonly credentials?: Credentials | undefined
  readonly expiryMinutes?: number | undefined
  readonly refreshPolicy?: Partial<RefreshPolicy> | undefined
  readonly keepFresh?: boolean | undefined
  readonly refreshFailuresBeforeReauthenticate?: number | undefined
  readonly slotIdleMs?: number | undefined
  readonly maxSlots?: number | undefined
  readonly store?: TokenStoreShape | undefined
}

/** The engine options, checked (a `ValidationError`: nothing is sent), with defaults applied. */
export const engineOptions = (input: EngineInput): Result.Result<EngineOptions, ValidationError> =>
  Result.gen(function* () {
    const refreshPolicy = yield* validateRefreshPolicy(input.refreshPolicy)
    const expiryMinutes =
      input.expiryMinutes === undefined ? undefined : yield* validateExpiryMinutes(input.expiryMinutes)
    const keepFresh = yield* optionalBoolean("keepFresh", input.keepFresh, false)
    const refreshFailuresBeforeReauthenticate = yield* optionalNumber(
      "refreshFailuresBeforeReauthenticate",
      input.refreshFailuresBeforeReauthenticate,
      { min: 0, max: 100, integer: true },
      2
    )
    const slotIdleMs = yield* optionalNumber(
      "slotIdleMs",
      input.slotIdleMs,
      { min: 1000, max: MAX_DURATION_MS },
      defaultSlotIdleMs
    )
    const maxSlots = yield* optionalNumber(
      "maxSlots",
      input.maxSlots,
      { min: 1, max: 10_000_000, integer: true },
      defaultMaxSlots
    )
    return {
      scope: input.scope ?? "PaymentTokenization",
      credentials: input.credentials,
      expiryMinutes,
      refreshPolicy,
      keepFresh,
      refreshFailuresBeforeReauthenticate,
      slotIdleMs,
      maxSlots,
      store: input.store ?? memoryTokenStore
    }
  })
