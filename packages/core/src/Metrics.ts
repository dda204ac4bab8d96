/**
 * The core's metrics (Effect `Metric`s, exportable with `PrometheusMetrics` or OTLP from
 * `effect/observability`). Labels carry operations, outcomes, codes and scopes: never a key, a
 * secret or a token.
 *
 * | name | type | labels |
 * |---|---|---|
 * | `ipos_auth_requests_total` | counter | `operation` (authenticate, refresh), `outcome` (success, failure), `code` (`AUTH_ERR_xxx`, a transport tag such as `Timeout`, or `none`) |
 * | `ipos_auth_request_duration_ms` | histogram | `operation`, `outcome` — one call, retries included, on the monotonic clock |
 * | `ipos_auth_retries_total` | counter | `operation`, `code` |
 * | `ipos_auth_acquisitions_total` | counter | `scope`, `via` (authenticate, refresh), `outcome`, `code` — tokens obtained by the manager |
 * | `ipos_auth_token_expires_at_seconds` | gauge | `scope`, `credentials` — the held token's expiry, Unix seconds (0 when none): never stale, `x - time()` is the time left |
 * | `ipos_auth_token_seconds_to_expiry` | gauge | `scope`, `credentials` — set when a token arrives, whenever status is read and, with `keepFresh`, every second |
 * | `ipos_auth_degraded` | gauge | `scope`, `credentials` — 1 while a valid token is served but refreshes keep failing |
 *
 * `credentials` is the `credentialsId` of the credential set (a salted hash: never a key).
 *
 * @since 0.1.0
 * @module
 */
import * as Metric from "effect/Metric"

/**
 * Calls to the iPOSpays API, by operation, outcome and code.
 *
 * @example
 * ```ts
 * import { Effect, Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * const state = Effect.runSync(Metric.value(Metrics.requestsTotal))
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const requestsTotal = Metric.counter("ipos_auth_requests_total", {
  description: "Calls to the iPOSpays auth API by operation, outcome and code",
  incremental: true
})

/**
 * Latency of one API call (retries included), in milliseconds.
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * Metric.value(Metrics.requestDuration)
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const requestDuration = Metric.histogram("ipos_auth_request_duration_ms", {
  description: "Latency of iPOSpays auth API calls, retries included, in milliseconds",
  boundaries: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000]
})

/**
 * Retries, by operation and the code of the failure that caused them.
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * Metric.value(Metrics.retriesTotal)
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const retriesTotal = Metric.counter("ipos_auth_retries_total", {
  description: "Retried iPOSpays auth API attempts by operation and failure code",
  incremental: true
})

/**
 * Token acquisitions by the token manager, by scope, route (`authenticate` or `refresh`), outcome
 * and code.
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * Metric.value(Metrics.acquisitionsTotal)
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const acquisitionsTotal = Metric.counter("ipos_auth_acquisitions_total", {
  description: "Token acquisitions by the token manager by scope, route, outcome and code",
  incremental: true
})

/**
 * Seconds until the held token of a scope expires (local clock, skew-corrected).
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * Metric.value(Metric.withAttributes(Metrics.secondsToExpiry, { scope: "PaymentTokenization", credentials: "3f9a01c2" }))
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const secondsToExpiry = Metric.gauge("ipos_auth_token_seconds_to_expiry", {
  description: "Seconds until the held token expires"
})

/**
 * The held token's expiry in Unix seconds (0 when none is held). Unlike seconds-to-expiry it does
 * not go stale between updates: a dashboard computes the time left from it at scrape time.
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * Metric.value(Metric.withAttributes(Metrics.expiresAt, { scope: "PaymentTokenization", credentials: "3f9a01c2" }))
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const expiresAt = Metric.gauge("ipos_auth_token_expires_at_seconds", {
  description: "Unix time in seconds at which the held token expires (0 when none is held)"
})

/**
 * 1 while a scope is degraded (a valid token is served but background refreshes keep failing).
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * Metric.value(Metric.withAttributes(Metrics.degraded, { scope: "Recurring", credentials: "3f9a01c2" }))
 * ```
 *
 * @since 0.1.0
 * @category metrics
 */
export const degraded = Metric.gauge("ipos_auth_degraded", {
  description: "1 while a valid token is served but background refreshes keep failing"
})

/**
 * Store trouble: acquisitions and invalidations that could not use the shared token store (Redis
 * down, slow or refusing) and ran in this process alone.
 *
 * @example
 * ```ts
 * import { Metric } from "effect"
 * import { Metrics } from "@ipos/auth-core"
 * Metric.value(Metrics.storeDegradedTotal)
 * ```
 *
 * @since 0.2.0
 * @category metrics
 */
export const storeDegradedTotal = Metric.counter("ipos_auth_store_degraded_total", {
  description: "Acquisitions and invalidations that could not use the shared token store",
  incremental: true
})
