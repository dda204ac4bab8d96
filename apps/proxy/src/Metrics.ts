/**
 * The proxy's metrics as plain counters (the hot path adds to numbers, nothing more) rendered in
 * Prometheus text format, followed by the core's own metrics (token gauges, acquisitions and
 * refresh outcomes) from Effect's registry. Labels carry classes and reasons: never a token or key.
 *
 * | name | type | labels |
 * |---|---|---|
 * | `ipos_proxy_requests_total` | counter | `class` (1xx…5xx) — answers to proxied requests, local failures included |
 * | `ipos_proxy_tokens_injected_total` | counter | — upstream requests sent with the proxy's token (replays included) |
 * | `ipos_proxy_client_tokens_overwritten_total` | counter | — requests that carried their own token header |
 * | `ipos_proxy_fail_closed_total` | counter | `kind` (starting, unavailable, rejected, malformed, validation) |
 * | `ipos_proxy_replays_total` | counter | — requests replayed once after a 401 with a new token |
 * | `ipos_proxy_upstream_errors_total` | counter | `class` (refused, reset, connect_timeout, response_timeout, invalid_response, error) |
 * | `ipos_proxy_rejected_total` | counter | `reason` (absolute_form, connect, body_too_large, header_too_large, bad_request, unsupported_transfer_coding) |
 * | `ipos_proxy_upstream_latency_seconds` | histogram | — request sent to response headers |
 * | `ipos_proxy_in_flight_requests` | gauge | — |
 * | `ipos_proxy_token_ready` | gauge | — 1 while a valid token is held |
 * | `ipos_proxy_scope_requests_total` | counter | `scope`, `class` — the answers above, by the scope of the request's route |
 * | `ipos_proxy_scope_fail_closed_total` | counter | `scope`, `kind` — fail-closed answers by scope |
 * | `ipos_proxy_scope_token_ready` | gauge | `scope` — 1 while that scope's valid token is held |
 * | `ipos_proxy_credential_rotations_total` | counter | `outcome` (rotated, refused) — new credentials put in use or refused by iPOSpays |
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as PrometheusMetrics from "effect/observability/PrometheusMetrics"

/** Upper bounds of the latency histogram, in seconds. */
const latencyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const

/**
 * Failure classes of upstream exchanges.
 *
 * @since 0.1.0
 * @category models
 */
export type UpstreamErrorClass =
  | "refused"
  | "reset"
  | "connect_timeout"
  | "response_timeout"
  | "invalid_response"
  | "error"

/**
 * Why a request was answered locally without being forwarded (other than a missing token).
 *
 * @since 0.1.0
 * @category models
 */
export type RejectReason =
  | "absolute_form"
  | "connect"
  | "body_too_large"
  | "header_too_large"
  | "bad_request"
  | "unsupported_transfer_coding"

/**
 * The proxy's counters.
 *
 * @example
 * ```ts
 * import { ProxyMetrics } from "@ipos/auth-proxy"
 * const metrics = new ProxyMetrics()
 * metrics.answered(200)
 * metrics.render({ tokenReady: true }) // "# HELP ipos_proxy_requests_total …"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export class ProxyMetrics {
  /** Answers by status class: index 1…5. */
  readonly byClass = [0, 0, 0, 0, 0, 0]
  tokensInjected = 0
  clientTokensOverwritten = 0
  replays = 0
  inFlight = 0
  readonly failClosed = new Map<string, number>()
  readonly upstreamErrors = new Map<UpstreamErrorClass, number>()
  readonly rejected = new Map<RejectReason, number>()
  readonly rotations = new Map<"rotated" | "refused", number>()
  /** Keyed `scope\u0000class` / `scope\u0000kind`. */
  readonly scopeAnswers = new Map<string, number>()
  readonly scopeFailClosed = new Map<string, number>()
  /** The `scopeAnswers` keys of each scope by status class (index 1…5), made once per scope. */
  private readonly scopeKeys = new Map<string, ReadonlyArray<string>>()
  readonly latencyBuckets: Array<number> = latencyBounds.map(() => 0)
  latencyCount = 0
  latencySum = 0

  /**
   * Counts one answer (proxied or local) under its status class, and under its scope when known.
   *
   * @example
   * ```ts
   * metrics.answered(404) // ipos_proxy_requests_total{class="4xx"} + 1
   * ```
   */
  answered(status: number, scope?: string): void {
    const c = (status / 100) | 0
    if (c < 1 || c > 5) return
    this.byClass[c]! += 1
    if (scope === undefined) return
    let keys = this.scopeKeys.get(scope)
    if (keys === undefined) {
      keys = ["", "1xx", "2xx", "3xx", "4xx", "5xx"].map((label) => `${scope}\u0000${label}`)
      this.scopeKeys.set(scope, keys)
    }
    this.bump(this.scopeAnswers, keys[c]!)
  }

  failedClosed(kind: string, scope: string): void {
    this.bump(this.failClosed, kind)
    this.bump(this.scopeFailClosed, `${scope}\u0000${kind}`)
  }

  /**
   * Records one upstream latency (request sent to response headers) in the histogram.
   *
   * @example
   * ```ts
   * metrics.latency(0.003) // counted in the le="0.005" bucket and above
   * ```
   */
  latency(seconds: number): void {
    this.latencyCount += 1
    this.latencySum += seconds
    for (let i = 0; i < latencyBounds.length; i++) {
      if (seconds <= latencyBounds[i]!) {
        this.latencyBuckets[i]! += 1
        return
      }
    }
  }

  /**
   * Adds one to the labelled counter `key` of `map`.
   *
   * @example
   * ```ts
   * metrics.bump(metrics.rejected, "connect") // ipos_proxy_rejected_total{reason="connect"} + 1
   * ```
   */
  bump<K>(map: Map<K, number>, key: K): void {
    map.set(key, (map.get(key) ?? 0) + 1)
  }

  /** The Prometheus text of the proxy's metrics, then the core's. */
  render(state: {
    readonly tokenReady: boolean
    readonly scopes?: ReadonlyArray<{ readonly scope: string; readonly ready: boolean }>
  }): string {
    const lines: Array<string> = []
    const family = (name: string, type: string, help: string, samples: ReadonlyArray<string>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples)
    }
    const single = (name: string, type: string, help: string, value: number) =>
      family(name, type, help, [`${name} ${value}`])
    const byLabel = (name: string, help: string, label: string, map: ReadonlyMap<string, number>) =>
      family(
        name,
        "counter",
        help,
        [...map].map(([key, value]) => `${name}{${label}="${key}"} ${value}`)
      )

    family(
      "ipos_proxy_requests_total",
      "counter",
      "Answers to proxied requests by status class",
      this.byClass.slice(1).map((n, i) => `ipos_proxy_requests_total{class="${i + 1}xx"} ${n}`)
    )
    single(
      "ipos_proxy_tokens_injected_total",
      "counter",
      "Upstream requests sent with the proxy's token",
      this.tokensInjected
    )
    single(
      "ipos_proxy_client_tokens_overwritten_total",
      "counter",
      "Requests whose own token header was replaced",
      this.clientTokensOverwritten
    )
    byLabel(
      "ipos_proxy_fail_closed_total",
      "Requests answered locally because no valid token was held",
      "kind",
      this.failClosed
    )
    single("ipos_proxy_replays_total", "counter", "Requests replayed once with a new token after a 401", this.replays)
    byLabel(
      "ipos_proxy_upstream_errors_total",
      "Upstream exchanges that failed, by class",
      "class",
      this.upstreamErrors
    )
    byLabel("ipos_proxy_rejected_total", "Requests refused locally, by reason", "reason", this.rejected)
    let cumulative = 0
    family("ipos_proxy_upstream_latency_seconds", "histogram", "Upstream latency to response headers", [
      ...latencyBounds.map((le, i) => {
        cumulative += this.latencyBuckets[i]!
        return `ipos_proxy_upstream_latency_seconds_bucket{le="${le}"} ${cumulative}`
      }),
      `ipos_proxy_upstream_latency_seconds_bucket{le="+Inf"} ${this.latencyCount}`,
      `ipos_proxy_upstream_latency_seconds_sum ${this.latencySum}`,
      `ipos_proxy_upstream_latency_seconds_count ${this.latencyCount}`
    ])
    single("ipos_proxy_in_flight_requests", "gauge", "Requests being proxied", this.inFlight)
    single("ipos_proxy_token_ready", "gauge", "1 while a valid token is held", state.tokenReady ? 1 : 0)
    const byScope = (name: string, type: string, help: string, label: string, map: ReadonlyMap<string, number>) =>
      family(
        name,
        type,
        help,
        [...map].map(([key, value]) => {
          const [scope, second] = key.split("\u0000")
          return `${name}{scope="${scope}",${label}="${second}"} ${value}`
        })
      )
    byScope(
      "ipos_proxy_scope_requests_total",
      "counter",
      "Answers by route scope and status class",
      "class",
      this.scopeAnswers
    )
    byScope(
      "ipos_proxy_scope_fail_closed_total",
      "counter",
      "Fail-closed answers by route scope",
      "kind",
      this.scopeFailClosed
    )
    family(
      "ipos_proxy_scope_token_ready",
      "gauge",
      "1 while the scope's valid token is held",
      (state.scopes ?? []).map((s) => `ipos_proxy_scope_token_ready{scope="${s.scope}"} ${s.ready ? 1 : 0}`)
    )
    byLabel(
      "ipos_proxy_credential_rotations_total",
      "New credentials put in use (rotated) or refused by iPOSpays (refused)",
      "outcome",
      this.rotations
    )
    // The core's metrics live in Effect's default metric registry.
    return `${lines.join("\n")}\n${PrometheusMetrics.formatUnsafe(Context.empty())}`
  }
}
