/**
 * Lifecycle events of the token manager, as plain JSON-safe data. Events identify a token by its
 * fingerprint (`…` + last 6 characters of the signature) and a credential set by a short hash:
 * never a key, a secret or a whole token. Times are epoch milliseconds on the local clock (expiry
 * already corrected for the service's clock offset).
 *
 * @since 0.1.0
 */
import type { FailureSummary } from "./Failure.js"
import type { Scope } from "./Schemas.js"

/**
 * Fields common to every event.
 *
 * @example
 * ```ts
 * import type { EventBase } from "@ipos/auth-core"
 * const where = (e: EventBase) => `${e.scope}@${e.credentialsId}`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface EventBase {
  readonly scope: Scope
  /** Short non-reversible hash of the API key. */
  readonly credentialsId: string
  /** When it happened (local clock). */
  readonly at: number
}

/**
 * A token arrived (`Minted` from `/v1/authenticate-token`, `Refreshed` from `/v1/refresh-token`).
 *
 * @example
 * ```ts
 * import type { TokenArrived } from "@ipos/auth-core"
 * const onArrival = (e: TokenArrived) => console.log(e._tag, e.fingerprint, new Date(e.refreshAt).toISOString())
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenArrived extends EventBase {
  readonly _tag: "Minted" | "Refreshed"
  readonly fingerprint: string
  /** Expiry on the local clock. */
  readonly expiresAt: number
  /** When the background refresh will start (local clock, jittered). */
  readonly refreshAt: number
  readonly lifetimeMs: number
  /** Learned `service − local` clock offset. */
  readonly clockOffsetMs: number
  /** How long the acquisition took. */
  readonly durationMs: number
}

/**
 * A background refresh failed while a still-valid token is being served.
 *
 * @example
 * ```ts
 * import type { RefreshFailed } from "@ipos/auth-core"
 * const alert = (e: RefreshFailed) => e.consecutiveFailures >= 3 && page(`${e.scope}: ${e.error.message}`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshFailed extends EventBase {
  readonly _tag: "RefreshFailed"
  readonly error: FailureSummary
  readonly consecutiveFailures: number
  /** The current token's expiry (local clock): it keeps being served until then. */
  readonly expiresAt: number
  /** Earliest time of the next attempt (local clock). */
  readonly retryAt: number
}

/**
 * An acquisition failed while no valid token was held: the waiting callers got `error`.
 *
 * @example
 * ```ts
 * import type { AcquisitionFailed } from "@ipos/auth-core"
 * const code = (e: AcquisitionFailed) => e.error.code ?? e.error._tag
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AcquisitionFailed extends EventBase {
  readonly _tag: "AcquisitionFailed"
  readonly error: FailureSummary
}

/**
 * The held token reached its safety margin before expiry and was dropped.
 *
 * @example
 * ```ts
 * import type { Expired } from "@ipos/auth-core"
 * const log = (e: Expired) => console.warn(`token ${e.fingerprint} of ${e.scope} expired unused`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Expired extends EventBase {
  readonly _tag: "Expired"
  readonly fingerprint: string
  readonly expiresAt: number
}

/**
 * The held token was dropped by `invalidate` (e.g. after a downstream 401).
 *
 * @example
 * ```ts
 * import type { Invalidated } from "@ipos/auth-core"
 * const log = (e: Invalidated) => console.info(`dropped ${e.fingerprint} after a 401`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Invalidated extends EventBase {
  readonly _tag: "Invalidated"
  readonly fingerprint: string
}

/**
 * The scope entered the degraded state: a valid token is still served, refreshes keep failing.
 *
 * @example
 * ```ts
 * import type { Degraded } from "@ipos/auth-core"
 * const warn = (e: Degraded) => console.warn(`${e.scope} degraded until ${new Date(e.expiresAt).toISOString()}`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Degraded extends EventBase {
  readonly _tag: "Degraded"
  readonly consecutiveFailures: number
  readonly expiresAt: number
}

/**
 * The scope left the degraded state: a refresh succeeded.
 *
 * @example
 * ```ts
 * import type { Recovered } from "@ipos/auth-core"
 * const info = (e: Recovered) => console.info(`${e.scope} recovered with ${e.fingerprint}`)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Recovered extends EventBase {
  readonly _tag: "Recovered"
  readonly fingerprint: string
}

/**
 * A slot was evicted: its token dropped, its timer stopped. `idle`: a per-request credential set
 * unused for `slotIdleMs`; `capacity`: the least recently used beyond `maxSlots`; `explicit`: an
 * `evict` call. The next use of it acquires a new token.
 *
 * @example
 * ```ts
 * import type { Evicted } from "@ipos/auth-core"
 * const log = (e: Evicted) => console.info(`evicted ${e.scope}@${e.credentialsId} (${e.reason})`)
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Evicted extends EventBase {
  readonly _tag: "Evicted"
  readonly reason: "idle" | "capacity" | "explicit"
  /** The dropped token's fingerprint, when one was held. */
  readonly fingerprint: string | undefined
}

/**
 * The shared token store (Redis) could not be used: this process acquires on its own until it
 * can again. `reason` says what went wrong (never a secret).
 *
 * @example
 * ```ts
 * import type { StoreDegraded } from "@ipos/auth-core"
 * const warn = (e: StoreDegraded) => console.warn(`token store: ${e.reason}`)
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface StoreDegraded extends EventBase {
  readonly _tag: "StoreDegraded"
  readonly reason: string
}

/**
 * The shared token store works again: tokens are shared again.
 *
 * @example
 * ```ts
 * import type { StoreRecovered } from "@ipos/auth-core"
 * const info = (e: StoreRecovered) => console.info(`token store back for ${e.scope}`)
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface StoreRecovered extends EventBase {
  readonly _tag: "StoreRecovered"
}

/**
 * Any lifecycle event.
 *
 * @example
 * ```ts
 * import type { TokenEvent } from "@ipos/auth-core"
 * const log = (event: TokenEvent) => {
 *   if (event._tag === "RefreshFailed") console.warn(event.scope, event.error.message)
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type TokenEvent =
  | TokenArrived
  | RefreshFailed
  | AcquisitionFailed
  | Expired
  | Invalidated
  | Degraded
  | Recovered
  | Evicted
  | StoreDegraded
  | StoreRecovered

/**
 * One line describing an event, for logs.
 *
 * @example
 * ```ts
 * import { formatEvent } from "@ipos/auth-core"
 * manager.onEvent((event) => console.log(formatEvent(event)))
 * // "Minted PaymentTokenization …a1b2c3 expires 2026-01-01T00:00:00.000Z"
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const formatEvent = (event: TokenEvent): string => {
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms))
  switch (event._tag) {
    case "Minted":
    case "Refreshed":
      return `${event._tag} ${event.scope} ${event.fingerprint} expires ${iso(event.expiresAt)}`
    case "RefreshFailed":
      return `RefreshFailed ${event.scope} (${event.consecutiveFailures} in a row): ${event.error.message}; token valid until ${iso(event.expiresAt)}`
    case "AcquisitionFailed":
      return `AcquisitionFailed ${event.scope}: ${event.error.message}`
    case "Expired":
      return `Expired ${event.scope} ${event.fingerprint}`
    case "Invalidated":
      return `Invalidated ${event.scope} ${event.fingerprint}`
    case "Degraded":
      return `Degraded ${event.scope}: serving a valid token while refreshes fail (${event.consecutiveFailures} in a row)`
    case "Recovered":
      return `Recovered ${event.scope} ${event.fingerprint}`
    case "Evicted":
      return `Evicted ${event.scope} ${event.credentialsId} (${event.reason})`
    case "StoreDegraded":
      return `StoreDegraded ${event.scope}: ${event.reason}; acquiring in this process alone`
    case "StoreRecovered":
      return `StoreRecovered ${event.scope}: sharing tokens again`
  }
}
