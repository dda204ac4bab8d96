import { describe, expect, it } from "vitest"
import { ProxyMetrics } from "../src/Metrics.js"

describe("ProxyMetrics", () => {
  it("renders counters by class and a cumulative latency histogram", () => {
    const metrics = new ProxyMetrics()
    for (const status of [200, 201, 404, 502]) metrics.answered(status)
    metrics.latency(0.0004)
    metrics.latency(0.003)
    metrics.latency(40)
    metrics.bump(metrics.failClosed, "rejected")
    metrics.bump(metrics.failClosed, "rejected")
    const text = metrics.render({ tokenReady: true })
    expect(text).toContain('ipos_proxy_requests_total{class="2xx"} 2\n')
    expect(text).toContain('ipos_proxy_requests_total{class="4xx"} 1\n')
    expect(text).toContain('ipos_proxy_requests_total{class="5xx"} 1\n')
    expect(text).toContain('ipos_proxy_fail_closed_total{kind="rejected"} 2\n')
    expect(text).toContain('ipos_proxy_upstream_latency_seconds_bucket{le="0.0005"} 1\n')
    expect(text).toContain('ipos_proxy_upstream_latency_seconds_bucket{le="0.005"} 2\n')
    expect(text).toContain('ipos_proxy_upstream_latency_seconds_bucket{le="30"} 2\n')
    expect(text).toContain('ipos_proxy_upstream_latency_seconds_bucket{le="+Inf"} 3\n')
    expect(text).toContain("ipos_proxy_upstream_latency_seconds_count 3\n")
    expect(text).toContain("ipos_proxy_token_ready 1\n")
  })

  it("counts answers by scope and class, each scope apart", () => {
    const metrics = new ProxyMetrics()
    for (const status of [200, 204, 503]) metrics.answered(status, "PaymentTokenization")
    metrics.answered(200, "Reports")
    metrics.answered(99, "Reports")
    const text = metrics.render({ tokenReady: true })
    expect(text).toContain('ipos_proxy_scope_requests_total{scope="PaymentTokenization",class="2xx"} 2\n')
    expect(text).toContain('ipos_proxy_scope_requests_total{scope="PaymentTokenization",class="5xx"} 1\n')
    expect(text).toContain('ipos_proxy_scope_requests_total{scope="Reports",class="2xx"} 1\n')
    expect(text).toContain('ipos_proxy_requests_total{class="2xx"} 3\n')
    expect([...metrics.scopeAnswers.values()].reduce((a, b) => a + b, 0)).toBe(4)
  })
})
