/**
 * Credential rotation without a restart, as a layer above a token manager: it holds the current
 * manager and, when the credentials provider returns a different set, builds a second manager with
 * the new set, and swaps only once that one holds a token for every warmed scope (make before
 * break). Until then, and whenever the service refuses the new set, the current manager keeps
 * serving its token; a refused set is retried with backoff.
 *
 * @since 0.2.0
 */
import type * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { credentialsId, makeCredentials } from "./Credentials.js"
import type { PromiseTokenManager } from "./createTokenManager.js"
import { type FailureSummary, isAuthFailure, summarize } from "./Failure.js"
import { backgroundRetryDelay } from "./RefreshWindow.js"
import type { Scope } from "./Schemas.js"
import type { TokenEvent } from "./TokenEvents.js"

/**
 * One set of credentials as a provider returns it.
 *
 * @example
 * ```ts
 * import type { CredentialSet } from "@ipos/auth-core"
 * const set: CredentialSet = { apiKey: "demo-merchant-api-key", secretKey: "demo-merchant-secret-key" }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface CredentialSet {
  readonly apiKey: string | Redacted.Redacted<string>
  readonly secretKey: string | Redacted.Redacted<string>
}

/**
 * Returns the credentials to use now (files, Vault, a cloud secret manager…). Called on every
 * {@link RotatingTokenManager.rotate}; returning the set in use changes nothing.
 *
 * @example
 * ```ts
 * import type { CredentialsProvider } from "@ipos/auth-core"
 * const fromVault: CredentialsProvider = async () => {
 *   const secret = await vault.read("secret/ipos")
 *   return { apiKey: secret.apiKey, secretKey: secret.secretKey }
 * }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type CredentialsProvider = () => CredentialSet | Promise<CredentialSet>

/**
 * What rotation reports: the swap to a new set, or the refusal of a new set (the current one stays).
 * Sets are named by `credentialsId` (a short hash, never a key).
 *
 * @example
 * ```ts
 * import type { RotationEvent } from "@ipos/auth-core"
 * const line = (e: RotationEvent) =>
 *   e._tag === "CredentialsRotated" ? `rotated ${e.from} -> ${e.to}` : `refused ${e.credentialsId} ${e.error.code}`
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type RotationEvent =
  | { readonly _tag: "CredentialsRotated"; readonly from: string; readonly to: string; readonly at: number }
  | {
      readonly _tag: "RotationRefused"
      readonly credentialsId: string
      readonly error: FailureSummary
      readonly consecutiveFailures: number
      readonly retryAt: number
      readonly at: number
    }

/**
 * What one {@link RotatingTokenManager.rotate} call did.
 *
 * @since 0.2.0
 * @category models
 */
export type RotationOutcome = "unchanged" | "rotated" | "refused" | "closed"

/**
 * A token manager whose credentials can change while it runs.
 *
 * @since 0.2.0
 * @category models
 */
export interface RotatingTokenManager extends PromiseTokenManager {
  /** Reads the provider; when the set changed, mints with it and swaps (make before break). */
  readonly rotate: () => Promise<RotationOutcome>
  /** The id of the set in use. */
  readonly credentialsId: () => string
  /** The id of a set that was refused and is being retried, if any. */
  readonly pendingCredentialsId: () => string | undefined
  /** Registers a rotation listener; returns the function that removes it. */
  readonly onRotation: (listener: (event: RotationEvent) => void) => () => void
}

/**
 * Options of {@link createRotatingTokenManager}.
 *
 * @since 0.2.0
 * @category models
 */
export interface RotatingTokenManagerOptions {
  /** The set to start with (validated like any credentials). */
  readonly initial: CredentialSet
  readonly credentials: CredentialsProvider
  /** Builds a manager for one set, e.g. `(set) => createTokenManager({ ...options, ...set })`. */
  readonly make: (credentials: CredentialSet) => PromiseTokenManager
  /** Scopes the new manager must hold a token for before the swap, besides its default scope. */
  readonly scopes?: ReadonlyArray<Scope> | undefined
  /** Wall clock in epoch ms. */
  readonly now?: (() => number) | undefined
}

const summaryOf = (error: unknown): FailureSummary =>
  isAuthFailure(error)
    ? summarize(error)
    : { _tag: "Unavailable", kind: "unavailable", retryable: true, message: "credentials could not be used" }

/**
 * Creates a token manager whose credentials rotate without a restart.
 *
 * @example
 * ```ts
 * import { createRotatingTokenManager, createTokenManager } from "@ipos/auth-core"
 * const tokens = createRotatingTokenManager({
 *   initial: await readSecrets(),
 *   credentials: readSecrets,
 *   make: (credentials) => createTokenManager({ ...credentials, keepFresh: true })
 * })
 * setInterval(() => void tokens.rotate(), 60_000)
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const createRotatingTokenManager = (options: RotatingTokenManagerOptions): RotatingTokenManager => {
  const now = options.now ?? Date.now
  const initial = makeCredentials(options.initial)
  const tokenListeners = new Set<(event: TokenEvent) => void>()
  const rotationListeners = new Set<(event: RotationEvent) => void>()
  const forward = (event: TokenEvent) => {
    for (const listener of tokenListeners) {
      try {
        listener(event)
      } catch {
        // Listener errors are ignored, as the core's own listeners' are.
      }
    }
  }
  const announce = (event: RotationEvent) => {
    for (const listener of rotationListeners) {
      try {
        listener(event)
      } catch {
        // Listener errors are ignored.
      }
    }
  }

  // Invalid initial credentials: the manager built from them reports the error (as the core does).
  let current = options.make(options.initial)
  let currentId = Result.isSuccess(initial) ? credentialsId(initial.success) : "invalid"
  let unsubscribe = current.onEvent(forward)
  let pendingId: string | undefined
  let failures = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let inFlight: Promise<RotationOutcome> | undefined
  let again = false
  let closed = false

  const refuse = (id: string, error: unknown): RotationOutcome => {
    failures += 1
    pendingId = id
    const delay = backgroundRetryDelay(failures, Number.POSITIVE_INFINITY)
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => void rotate(), delay)
    retryTimer.unref?.()
    announce({
      _tag: "RotationRefused",
      credentialsId: id,
      error: summaryOf(error),
      consecutiveFailures: failures,
      retryAt: now() + delay,
      at: now()
    })
    return "refused"
  }

  const attempt = async (): Promise<RotationOutcome> => {
    let set: CredentialSet
    try {
      set = await options.credentials()
    } catch (error) {
      return refuse(pendingId ?? currentId, error)
    }
    const made = makeCredentials(set)
    if (Result.isFailure(made)) return refuse("invalid", made.failure)
    const id = credentialsId(made.success)
    if (id === currentId) {
      // Back to the set in use (an operator reverted): nothing to retry.
      failures = 0
      pendingId = undefined
      clearTimeout(retryTimer)
      return "unchanged"
    }
    const candidate = options.make(set)
    const scopes = new Set([candidate.status().scope, ...(options.scopes ?? [])])
    try {
      await Promise.all([...scopes].map((scope) => candidate.getToken(scope)))
    } catch (error) {
      await candidate.close()
      return closed ? "closed" : refuse(id, error)
    }
    if (closed) {
      await candidate.close()
      return "closed"
    }
    const previous = current
    const from = currentId
    unsubscribe()
    current = candidate
    currentId = id
    unsubscribe = candidate.onEvent(forward)
    failures = 0
    pendingId = undefined
    clearTimeout(retryTimer)
    announce({ _tag: "CredentialsRotated", from, to: id, at: now() })
    void previous.close()
    return "rotated"
  }

  const rotate = (): Promise<RotationOutcome> => {
    if (closed) return Promise.resolve("closed")
    if (inFlight !== undefined) {
      // The source may have changed again while this attempt read it: read once more after it.
      again = true
      return inFlight
    }
    const run = attempt()
    inFlight = run
    void run.finally(() => {
      inFlight = undefined
      if (again) {
        again = false
        void rotate()
      }
    })
    return run
  }

  return {
    getToken: (scope) => current.getToken(scope),
    getTokenInfo: (scope) => current.getTokenInfo(scope),
    refresh: (scope) => current.refresh(scope),
    invalidate: (token, scope) => current.invalidate(token, scope),
    status: (scope) => current.status(scope),
    evict: (scope) => current.evict?.(scope) ?? false,
    onEvent: (listener) => {
      tokenListeners.add(listener)
      return () => void tokenListeners.delete(listener)
    },
    get events() {
      return current.events
    },
    close: async () => {
      closed = true
      clearTimeout(retryTimer)
      unsubscribe()
      await current.close()
    },
    rotate,
    credentialsId: () => currentId,
    pendingCredentialsId: () => pendingId,
    onRotation: (listener) => {
      rotationListeners.add(listener)
      return () => void rotationListeners.delete(listener)
    }
  }
}
