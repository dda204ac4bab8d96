/**
 * The one classification every failure of the core maps to, for CLIs (exit codes), proxies (HTTP
 * statuses) and dashboards:
 *
 * | kind | meaning | CLI exit code |
 * |---|---|---|
 * | `validation` | refused locally, nothing was sent | 2 |
 * | `rejected` | refused by iPOSpays (any `AUTH_ERR`, unknown ones included) | 3 |
 * | `unavailable` | unreachable, timed out, 5xx or 429 after retries; the manager was closed | 4 |
 * | `malformed` | an answer that is neither a token nor an `AUTH_ERR` | 5 |
 *
 * @since 0.1.0
 */
import { type AuthRejection, isAuthRejection } from "./AuthError.js"
import type { ManagerClosed } from "./ManagerClosed.js"
import type { TransportError } from "./TransportError.js"
import type { ValidationError } from "./ValidationError.js"

/**
 * Every failure the core produces.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { exitCodeOf, type AuthFailure } from "@ipos/auth-core"
 * const report = (e: AuthFailure) => Effect.logError(e.message).pipe(Effect.as(exitCodeOf(e)))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type AuthFailure = AuthRejection | TransportError | ValidationError | ManagerClosed

/**
 * The classification of a failure.
 *
 * @example
 * ```ts
 * import type { FailureKind } from "@ipos/auth-core"
 * const httpStatus: Record<FailureKind, number> = { validation: 400, rejected: 502, unavailable: 503, malformed: 502 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type FailureKind = "validation" | "rejected" | "unavailable" | "malformed"

/**
 * The classification of a failure.
 *
 * @example
 * ```ts
 * import { failureKind, makeRejection } from "@ipos/auth-core"
 * failureKind(makeRejection("AUTH_ERR_004", "Invalid Credentials")) // "rejected"
 * ```
 *
 * @since 0.1.0
 * @category classification
 */
export const failureKind = (error: AuthFailure): FailureKind => error.kind

/**
 * The exit codes of the interface contract, per kind.
 *
 * @example
 * ```ts
 * import { exitCodes } from "@ipos/auth-core"
 * exitCodes.unavailable // 4
 * ```
 *
 * @since 0.1.0
 * @category classification
 */
export const exitCodes = { validation: 2, rejected: 3, unavailable: 4, malformed: 5 } as const satisfies Record<
  FailureKind,
  number
>

/**
 * The CLI exit code for a failure: 2 validation, 3 rejected, 4 unavailable, 5 malformed.
 *
 * @example
 * ```ts
 * import { exitCodeOf, Timeout } from "@ipos/auth-core"
 * exitCodeOf(new Timeout({ operation: "authenticate", timeoutMs: 10_000 })) // 4
 * ```
 *
 * @since 0.1.0
 * @category classification
 */
export const exitCodeOf = (error: AuthFailure): 2 | 3 | 4 | 5 => exitCodes[error.kind]

const failureTags: ReadonlySet<string> = new Set([
  "ValidationError",
  "Timeout",
  "Unavailable",
  "RateLimited",
  "MalformedResponse",
  "ManagerClosed"
])

/**
 * Whether a value is one of the core's failures.
 *
 * @example
 * ```ts
 * import { isAuthFailure } from "@ipos/auth-core"
 * isAuthFailure(new Error("x")) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isAuthFailure = (u: unknown): u is AuthFailure =>
  isAuthRejection(u) ||
  (typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" && failureTags.has(u._tag))

/**
 * A JSON-safe description of a failure (for events, logs, status endpoints): no secret, no token.
 *
 * @example
 * ```ts
 * import { summarize, type FailureSummary } from "@ipos/auth-core"
 * const body: FailureSummary = summarize(error)
 * response.end(JSON.stringify(body))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface FailureSummary {
  readonly _tag: AuthFailure["_tag"]
  readonly kind: FailureKind
  readonly code?: string
  readonly status?: number
  readonly retryable: boolean
  readonly message: string
}

/**
 * Describes a failure as plain data.
 *
 * @example
 * ```ts
 * import { summarize, makeRejection } from "@ipos/auth-core"
 * summarize(makeRejection("AUTH_ERR_005", "Invalid scope provided."))
 * // { _tag: "InvalidScope", kind: "rejected", code: "AUTH_ERR_005", retryable: false, message: "AUTH_ERR_005: ..." }
 * ```
 *
 * @since 0.1.0
 * @category classification
 */
export const summarize = (error: AuthFailure): FailureSummary => {
  const code = "code" in error ? error.code : undefined
  const status = "status" in error ? error.status : undefined
  return {
    _tag: error._tag,
    kind: error.kind,
    ...(code === undefined ? {} : { code }),
    ...(status === undefined ? {} : { status }),
    retryable: error.retryable,
    message: error.message
  }
}
