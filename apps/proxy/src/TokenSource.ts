/**
 * The token the proxy injects, kept as a plain string that the hot path reads without a lookup:
 * it is swapped when the core's token manager announces a new one. Built on the core's
 * `PromiseTokenManager` (its single flight, refresh-ahead with `keepFresh`, `invalidate(token)`),
 * plus what a sidecar needs on top: acquiring from the start and, while no token is held, retrying
 * with backoff by itself (the core's `keepFresh` schedules nothing while it holds no token), and
 * one stderr line per state change.
 *
 * @since 0.1.0
 */
import {
  backgroundRetryDelay,
  type FailureSummary,
  isAuthFailure,
  type PromiseTokenManager,
  type RotatingTokenManager,
  type RotationEvent,
  summarize,
  type TokenEvent,
  type Scope as TokenScope,
  type TokenStatus
} from "@ipos/auth-core"
import type { LogEntry, LogSink } from "./Log.js"

/**
 * `starting`: the first acquisition is under way; `ready`: a valid token is held; `unavailable`:
 * none is held and the last acquisition failed (retrying with backoff); `closed`: stopped.
 *
 * @since 0.1.0
 * @category models
 */
export type SourceState = "starting" | "ready" | "unavailable" | "closed"

/**
 * Metadata of the held token, safe to serve (never the token).
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenMetadata {
  readonly scope: string
  readonly state: SourceState
  /** The core's state of the scope (`valid`, `refreshing`, `degraded`, …). */
  readonly managerState: TokenStatus["state"]
  readonly fingerprint: string | undefined
  readonly issuedAt: string | undefined
  readonly expiresAt: string | undefined
  readonly lastError: FailureSummary | undefined
  readonly retryAt: string | undefined
}

/**
 * The proxy's view of its token.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenSource {
  /** The scope whose token this source injects. */
  readonly scope: string
  /** The token to inject now, or `undefined` when none is valid (no allocation on the hit). */
  readonly current: () => string | undefined
  readonly state: () => SourceState
  /** The failure of the last acquisition while no token is held. */
  readonly lastError: () => FailureSummary | undefined
  /** Epoch ms of the next acquisition attempt while unavailable. */
  readonly retryAt: () => number
  /** Waits up to `timeoutMs` for an acquisition already under way; `undefined` if none or too slow. */
  readonly wait: (timeoutMs: number) => Promise<string | undefined>
  /**
   * The upstream refused `token` (a 401): invalidates exactly that token in the core and resolves
   * to a new one. Concurrent calls for one token share one acquisition. `undefined` (nothing
   * invalidated, pass the 401 on) when `token` was itself acquired after a 401 less than
   * {@link refusedGraceMs} ago: a route that refuses every token then costs one acquisition per
   * grace period, not one per request.
   */
  readonly refused: (token: string) => Promise<string | undefined> | undefined
  /** Forces a refresh (or joins the one in flight). */
  readonly refresh: () => Promise<FailureSummary | undefined>
  readonly metadata: () => TokenMetadata
  readonly close: () => Promise<void>
}

/**
 * Options of {@link makeTokenSource}.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenSourceOptions {
  readonly tokens: PromiseTokenManager
  /** The scope to hold a token for (several sources may share one manager, one per scope). */
  readonly scope: string
  /** Whether `close()` closes the manager too (default true; false for all but one shared source). */
  readonly closeManager?: boolean
  /** Receives one line per state change and its structured entry (no token, no key in either). */
  readonly log: LogSink
  /** Wall clock in epoch ms (tests may move it). */
  readonly now?: () => number
}

/**
 * How long a token acquired because of a 401 is not invalidated by another 401 (5 s): a new token
 * that is refused at once points at the route, not at the token.
 *
 * @since 0.1.0
 * @category models
 */
export const refusedGraceMs = 5000

const summaryOf = (error: unknown): FailureSummary =>
  isAuthFailure(error)
    ? summarize(error)
    : { _tag: "Unavailable", kind: "unavailable", retryable: true, message: "token acquisition failed" }

/**
 * True for a manager whose credentials can rotate.
 *
 * @example
 * ```ts
 * import { isRotating } from "@ipos/auth-proxy"
 * if (isRotating(tokens)) void tokens.rotate()
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isRotating = (tokens: PromiseTokenManager): tokens is RotatingTokenManager =>
  "onRotation" in tokens && typeof tokens.onRotation === "function"

const iso = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms).toISOString()

/**
 * Starts acquiring at once and keeps a token from then on.
 *
 * @example
 * ```ts
 * import { createNodeTokenManager } from "@ipos/auth-core/node"
 * import { makeTokenSource } from "@ipos/auth-proxy"
 * const tokens = createNodeTokenManager({ fromEnv: process.env, keepFresh: true })
 * const source = makeTokenSource({ tokens, scope: "PaymentTokenization", log: (l) => process.stderr.write(`${l}\n`) })
 * source.current() // undefined until the first token arrives
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTokenSource = (options: TokenSourceOptions): TokenSource => {
  const { tokens, log } = options
  const scope = options.scope as TokenScope
  const now = options.now ?? Date.now
  let token: string | undefined
  let usableUntil = 0
  let issuedAt: number | undefined
  let state: SourceState = "starting"
  let lastError: FailureSummary | undefined
  let loggedError: string | undefined
  let failures = 0
  let retryAt = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let pending: Promise<string | undefined> | undefined
  /** The token last acquired because of a 401, and when. */
  let renewed: string | undefined
  let renewedAt = 0
  /** Bumped when the credentials rotate: an acquisition begun before then is not adopted. */
  let generation = 0

  const enter = (next: SourceState, line: string, entry: LogEntry, errorKey?: string) => {
    if (next === state && errorKey === loggedError) return
    state = next
    loggedError = errorKey
    log(line, entry)
  }

  const adopt = (value: string) => {
    const status = tokens.status(scope)
    token = value
    usableUntil = status.usableUntil ?? 0
    failures = 0
    lastError = undefined
    if (state !== "closed")
      enter("ready", `token ready: ${options.scope} ${status.fingerprint ?? ""} expires ${iso(status.expiresAt)}`, {
        level: "info",
        event: state === "unavailable" ? "token_recovered" : "token_acquired",
        fields: { scope, fingerprint: status.fingerprint, expiresAt: iso(status.expiresAt) }
      })
  }

  const failed = (error: unknown) => {
    if (state === "closed") return
    const summary = summaryOf(error)
    lastError = summary
    failures += 1
    const delay = backgroundRetryDelay(failures, Number.POSITIVE_INFINITY)
    retryAt = now() + delay
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => void acquire(), delay)
    retryTimer.unref()
    if (current() === undefined)
      enter(
        "unavailable",
        `token unavailable (${summary.kind}, ${summary._tag}): ${summary.message}; requests fail closed, retrying with backoff`,
        {
          level: "error",
          event: "token_unavailable",
          fields: { scope, kind: summary.kind, reason: summary._tag, code: summary.code, retryAt: iso(retryAt) }
        },
        `${summary._tag}:${summary.code ?? ""}`
      )
  }

  const acquire = (): Promise<string | undefined> => {
    if (state === "closed") return Promise.resolve(undefined)
    if (pending !== undefined) return pending
    clearTimeout(retryTimer)
    const started = generation
    const attempt = tokens.getToken(scope).then(
      (value): string | undefined | Promise<string | undefined> => {
        if (started !== generation) return acquire()
        adopt(value)
        return value
      },
      (error: unknown) => {
        failed(error)
        return undefined
      }
    )
    pending = attempt
    const clear = () => {
      if (pending === attempt) pending = undefined
    }
    attempt.then(clear, clear)
    return attempt
  }

  const current = (): string | undefined => {
    if (token !== undefined) {
      if (now() < usableUntil) return token
      token = undefined
      void acquire()
    }
    return undefined
  }

  const onEvent = (event: TokenEvent) => {
    if (event.scope !== scope) return
    switch (event._tag) {
      case "Minted":
      case "Refreshed":
        issuedAt = event.expiresAt - event.lifetimeMs
        if (event._tag === "Refreshed")
          log(`token refreshed: ${scope} ${event.fingerprint} expires ${iso(event.expiresAt)}`, {
            level: "info",
            event: "token_refreshed",
            fields: { scope, fingerprint: event.fingerprint, expiresAt: iso(event.expiresAt) }
          })
        // A cache hit in the core: picks up the new value (background refreshes included).
        void acquire()
        return
      case "Invalidated":
      case "Expired":
        token = undefined
        void acquire()
        return
      case "RefreshFailed":
        log(
          `token refresh failed (${event.error.code ?? event.error._tag}): ${scope}; retrying at ${iso(event.retryAt)}`,
          {
            level: "warn",
            event: "token_refresh_failed",
            fields: {
              scope,
              kind: event.error.kind,
              reason: event.error._tag,
              code: event.error.code,
              consecutiveFailures: event.consecutiveFailures,
              retryAt: iso(event.retryAt)
            }
          }
        )
        return
      case "Degraded":
        log(
          `token refreshes failing (${event.consecutiveFailures} in a row); serving the current token until ${iso(event.expiresAt)}`,
          {
            level: "warn",
            event: "token_degraded",
            fields: { scope, consecutiveFailures: event.consecutiveFailures, expiresAt: iso(event.expiresAt) }
          }
        )
        return
      case "Recovered":
        log("token refreshes recovered", {
          level: "info",
          event: "token_recovered",
          fields: { scope, fingerprint: event.fingerprint }
        })
        return
      default:
        return
    }
  }
  const onRotation = (event: RotationEvent) => {
    if (event._tag !== "CredentialsRotated") return
    // Make before break: the new manager holds a token already. Drop the old one now so that no
    // request uses it from here on; requests meanwhile wait for the (cache-hit) acquisition.
    generation += 1
    token = undefined
    pending = undefined
    void acquire()
  }
  const unsubscribe = tokens.onEvent(onEvent)
  const unsubscribeRotation = isRotating(tokens) ? tokens.onRotation(onRotation) : () => {}
  void acquire()

  return {
    scope,
    current,
    state: () => state,
    lastError: () => lastError,
    retryAt: () => retryAt,
    wait: (timeoutMs) => {
      const hit = current()
      if (hit !== undefined) return Promise.resolve(hit)
      if (pending === undefined || timeoutMs <= 0) return Promise.resolve(undefined)
      const inFlight = pending
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs)
        inFlight.then((value) => {
          clearTimeout(timer)
          resolve(value)
        })
      })
    },
    refused: (refusedToken) => {
      if (refusedToken === renewed && now() - renewedAt < refusedGraceMs) return undefined
      tokens.invalidate(refusedToken, scope)
      if (token === refusedToken) token = undefined
      const hit = current()
      if (hit !== undefined) return Promise.resolve(hit)
      return acquire().then((value) => {
        if (value !== undefined && value !== renewed) {
          renewed = value
          renewedAt = now()
        }
        return value
      })
    },
    refresh: () =>
      tokens.refresh(scope).then(
        (value) => {
          adopt(value)
          return undefined
        },
        (error: unknown) => {
          failed(error)
          return summaryOf(error)
        }
      ),
    metadata: () => {
      const status = tokens.status(scope)
      const held = current() !== undefined
      return {
        scope: status.scope,
        state,
        managerState: status.state,
        fingerprint: held ? status.fingerprint : undefined,
        issuedAt: held ? iso(issuedAt) : undefined,
        expiresAt: held ? iso(status.expiresAt) : undefined,
        lastError,
        retryAt: state === "unavailable" ? iso(retryAt) : undefined
      }
    },
    close: async () => {
      state = "closed"
      clearTimeout(retryTimer)
      unsubscribe()
      unsubscribeRotation()
      token = undefined
      if (options.closeManager !== false) await tokens.close()
    }
  }
}
