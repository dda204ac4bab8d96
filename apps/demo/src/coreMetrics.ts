/**
 * The counters beside the timeline, read from the core's own metrics (`Metrics.*` of
 * `@ipos/auth-core`, the `ipos_auth_*` series a service would scrape) in this page's Effect
 * metric registry: calls to the auth API by outcome, retries, and acquisitions by route.
 */
import { Metrics } from "@ipos/auth-core"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"

/** One series of a metric snapshot, as far as the counters need it. */
export interface MetricReading {
  readonly id: string
  readonly attributes: Readonly<Record<string, unknown>> | undefined
  readonly state: unknown
}

/** The counters, totals since the page loaded (every manager it made). */
export interface CoreMetrics {
  /** `ipos_auth_requests_total{outcome="success"}` */
  readonly requestsOk: number
  /** `ipos_auth_requests_total{outcome!="success"}` */
  readonly requestsFailed: number
  /** `ipos_auth_retries_total` */
  readonly retries: number
  /** `ipos_auth_acquisitions_total{via="authenticate",outcome="success"}` */
  readonly authenticated: number
  /** `ipos_auth_acquisitions_total{via="refresh",outcome="success"}` */
  readonly refreshed: number
  /** `ipos_auth_acquisitions_total{outcome="failure"}` */
  readonly acquisitionFailures: number
}

const countOf = (state: unknown): number =>
  typeof state === "object" && state !== null && "count" in state && typeof state.count === "number" ? state.count : 0

/**
 * Adds up the counters from a metric snapshot.
 *
 * @example
 * ```ts
 * summarizeMetrics([{ id: "ipos_auth_retries_total", attributes: { operation: "refresh" }, state: { count: 3 } }]).retries // 3
 * ```
 */
export const summarizeMetrics = (readings: ReadonlyArray<MetricReading>): CoreMetrics => {
  const sum = (id: string, where: (attributes: Readonly<Record<string, unknown>>) => boolean) =>
    readings.filter((r) => r.id === id && where(r.attributes ?? {})).reduce((total, r) => total + countOf(r.state), 0)
  const requests = Metrics.requestsTotal.id
  const acquisitions = Metrics.acquisitionsTotal.id
  return {
    requestsOk: sum(requests, (a) => a.outcome === "success"),
    requestsFailed: sum(requests, (a) => a.outcome !== "success"),
    retries: sum(Metrics.retriesTotal.id, () => true),
    authenticated: sum(acquisitions, (a) => a.via === "authenticate" && a.outcome === "success"),
    refreshed: sum(acquisitions, (a) => a.via === "refresh" && a.outcome === "success"),
    acquisitionFailures: sum(acquisitions, (a) => a.outcome === "failure")
  }
}

/**
 * The counters now.
 *
 * @example
 * ```ts
 * readCoreMetrics().requestsOk
 * ```
 */
export const readCoreMetrics = (): CoreMetrics => summarizeMetrics(Effect.runSync(Metric.snapshot))
