/**
 * OpenTelemetry: nothing without the variables; on Node ≥ 22.19 the proxy's request spans and the
 * core's token spans carry scope, credentials id, outcome and code (never a token or key), in the
 * SDK's in-memory exporter and as a real OTLP/HTTP export to a local receiver; on an older Node,
 * one warning line and a proxy that works without telemetry.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { AggregationTemporality, InMemoryMetricExporter } from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Result from "effect/Result"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startProxy } from "../src/Proxy.js"
import { otlpRequested, otlpSupported } from "../src/Telemetry.js"
import { configFor, demo, eventually, send, startUpstream, type TestUpstream } from "./support/harness.js"

let sandbox: Sandbox
let upstream: TestUpstream
const tokens = new Set<string>()
beforeAll(async () => {
  sandbox = await startSandbox()
  upstream = await startUpstream((req, res) => {
    tokens.add(String(req.headers.token))
    res.end("ok")
  })
})
afterAll(async () => {
  await upstream.close()
  await sandbox.stop()
})

const keys = { IPOS_API_KEY: demo.apiKey, IPOS_SECRET_KEY: demo.secretKey }
const start = async (
  env: Record<string, string>,
  extra: { spanProcessor?: unknown; metricExporter?: unknown; nodeVersion?: string } = {}
) => {
  const log: Array<string> = []
  const started = await startProxy(configFor(["--upstream", upstream.url, "--auth-url", sandbox.url]), {
    env: { ...keys, ...env },
    log: (line) => log.push(line),
    ...extra
  })
  if (Result.isFailure(started)) throw new Error(started.failure)
  await eventually(() => started.success.source.current() !== undefined)
  return { proxy: started.success, log }
}

const expectNoSecret = (text: string) => {
  expect(text).not.toContain(demo.apiKey)
  expect(text).not.toContain(demo.secretKey)
  for (const token of tokens) expect(text).not.toContain(token)
}

describe("Telemetry", () => {
  it("is asked for by the standard variables only", () => {
    expect(otlpRequested({})).toBe(false)
    expect(otlpRequested({ OTEL_SERVICE_NAME: "x" })).toBe(false)
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(true)
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" })).toBe(true)
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_SDK_DISABLED: "true" })).toBe(false)
    expect(otlpRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_TRACES_EXPORTER: "none" })).toBe(false)
    expect(otlpSupported("v20.19.6")).toBe(false)
    expect(otlpSupported("v22.18.0")).toBe(false)
    expect(otlpSupported("v22.19.0")).toBe(true)
    expect(otlpSupported("v24.0.0")).toBe(true)
  })

  it("on Node < 22.19, asking for OTLP gives one warning line and the proxy works without it", async () => {
    const { proxy, log } = await start(
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" },
      { nodeVersion: "v20.19.0" }
    )
    expect(log.filter((l) => l.includes("OTLP"))).toEqual([
      "OTLP export needs Node >= 22.19 (this is v20.19.0): running without telemetry"
    ])
    expect((await send(proxy.port, { path: "/pay" })).status).toBe(200)
    await proxy.stop()
  })

  it("records request and token spans with scope, credentials id, outcome and code (in-memory exporter)", async () => {
    const exporter = new InMemorySpanExporter()
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
    const { proxy, log } = await start({}, { spanProcessor: new SimpleSpanProcessor(exporter), metricExporter })
    if (!otlpSupported()) {
      // This Node cannot run @effect/opentelemetry 4.1: the one warning, and the proxy still works.
      expect(log).toContain(`OTLP export needs Node >= 22.19 (this is ${process.version}): running without telemetry`)
      expect((await send(proxy.port, { path: "/pay?x=1" })).status).toBe(200)
      await proxy.stop()
      expect(exporter.getFinishedSpans()).toEqual([])
      return
    }
    expect((await send(proxy.port, { path: "/pay?x=1" })).status).toBe(200)
    // Read before stop: shutting the provider down clears the in-memory exporter.
    await eventually(() => exporter.getFinishedSpans().some((s) => s.name === "ipos.proxy.request"))
    const spans = [...exporter.getFinishedSpans()]
    await proxy.stop()
    const request = spans.find((s) => s.name === "ipos.proxy.request")
    expect(request?.attributes).toMatchObject({
      "http.request.method": "GET",
      "url.path": "/pay",
      "http.response.status_code": 200,
      "ipos.scope": "PaymentTokenization",
      "ipos.outcome": "forwarded"
    })
    expect(request?.attributes["ipos.credentials_id"]).toMatch(/^[0-9a-f]{8}$/)
    const acquire = spans.find((s) => s.name === "ipos.token.acquire")
    expect(acquire?.attributes["ipos.scope"]).toBe("PaymentTokenization")
    expect(acquire?.attributes["ipos.credentials_id"]).toBe(request?.attributes["ipos.credentials_id"])
    const auth = spans.find((s) => s.name === "ipos.auth.authenticate")
    expect(auth?.attributes).toMatchObject({ "ipos.scope": "PaymentTokenization" })
    expectNoSecret(JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events }))))
    // Stopping flushes the metrics: the proxy's counter and the core's Effect metrics, by scope.
    const metrics = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((m) => m.metrics))
    const requests = metrics.find((m) => m.descriptor.name === "ipos_proxy_requests")
    expect(requests?.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ "ipos.scope": "PaymentTokenization", "ipos.outcome": "forwarded", status: 200 }, 1]
    ])
    expect(metrics.some((m) => m.descriptor.name.startsWith("ipos_auth_acquisitions"))).toBe(true)
    expectNoSecret(JSON.stringify(metrics))
  })

  it("sends a real OTLP/HTTP export to a local receiver", async () => {
    const bodies: Array<{ path: string; type: string; body: Buffer }> = []
    const receiver = http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        bodies.push({ path: req.url ?? "", type: String(req.headers["content-type"]), body: Buffer.concat(chunks) })
        res.writeHead(200, { "content-type": "application/json" })
        res.end("{}")
      })
    })
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r))
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
    try {
      const { proxy, log } = await start({
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: "proxy-under-test"
      })
      expect((await send(proxy.port, { path: "/pay" })).status).toBe(200)
      await proxy.stop()
      if (!otlpSupported()) {
        expect(log).toContain(`OTLP export needs Node >= 22.19 (this is ${process.version}): running without telemetry`)
        expect(bodies).toEqual([])
        return
      }
      // The batch processor and the metric reader flush on stop.
      await eventually(
        () => bodies.some((b) => b.path === "/v1/traces") && bodies.some((b) => b.path === "/v1/metrics")
      )
      expect(bodies.some((b) => b.path === "/v1/traces")).toBe(true)
      const text = Buffer.concat(bodies.filter((b) => b.path === "/v1/traces").map((b) => b.body)).toString("latin1")
      for (const name of ["proxy-under-test", "ipos.proxy.request", "ipos.token.acquire", "ipos.credentials_id"])
        expect(text).toContain(name)
      const metrics = bodies.filter((b) => b.path === "/v1/metrics")
      expect(metrics.length).toBeGreaterThan(0)
      const metricText = Buffer.concat(metrics.map((b) => b.body)).toString("latin1")
      for (const name of ["ipos_proxy_requests", "ipos_auth_acquisitions"]) expect(metricText).toContain(name)
      expectNoSecret(metricText)
      expectNoSecret(text)
    } finally {
      receiver.closeAllConnections()
      await new Promise((r) => receiver.close(r))
    }
  })
})

describe("lazy loading", () => {
  it("imports OpenTelemetry only in Otel.ts, and Otel.ts only through a dynamic import", async () => {
    const { readdirSync, readFileSync } = await import("node:fs")
    const dir = new URL("../src/", import.meta.url)
    for (const name of readdirSync(dir)) {
      const text = readFileSync(new URL(name, dir), "utf8")
      const staticImports = [...text.matchAll(/^import[^;]*?from "([^"]+)"/gms)].map((m) => m[1])
      if (name !== "Otel.ts")
        expect(staticImports.filter((s) => s?.includes("opentelemetry") || s === "./Otel.js")).toEqual([])
    }
    expect(readFileSync(new URL("Telemetry.ts", dir), "utf8")).toContain('await import("./Otel.js")')
  })
})
