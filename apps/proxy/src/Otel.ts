/**
 * The OpenTelemetry side of {@link Telemetry}, imported only when telemetry starts (Node ≥ 22.19):
 * an SDK tracer provider with the OTLP/HTTP exporter (configured by the `OTEL_*` variables) behind
 * `@effect/opentelemetry`'s tracer, which the core's token managers and the proxy's request spans use.
 *
 * @since 0.2.0
 */
import * as OtelMetrics from "@effect/opentelemetry/OtelMetrics"
import * as OtelTracer from "@effect/opentelemetry/OtelTracer"
import * as OtelResource from "@effect/opentelemetry/Resource"
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { resourceFromAttributes } from "@opentelemetry/resources"
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics"
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Tracer from "effect/Tracer"
import type { Telemetry } from "./Telemetry.js"

/** The traces endpoint the variables name (the exporter alone would read `process.env` only). */
const exporterConfig = (
  env: Readonly<Record<string, string | undefined>>,
  signal: "traces" | "metrics"
): { url?: string } => {
  const specific =
    signal === "traces" ? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT : env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT
  if (specific) return { url: specific }
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT
  return base ? { url: `${base.replace(/\/+$/, "")}/v1/${signal}` } : {}
}

const nowNanos = () => BigInt(Date.now()) * 1_000_000n

/**
 * Builds the pipeline; `processor` replaces the OTLP batch processor (tests).
 *
 * @example
 * ```ts
 * const telemetry = makeTelemetry(process.env, undefined)
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeTelemetry = (
  env: Readonly<Record<string, string | undefined>>,
  processor: unknown,
  metricExporter: unknown
): Telemetry => {
  const spanProcessor =
    (processor as SpanProcessor | undefined) ??
    new BatchSpanProcessor(new OTLPTraceExporter(exporterConfig(env, "traces")))
  const resource = resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "ipos-auth-proxy" })
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] })
  // Metrics: the core's Effect metrics (ipos_auth_*) through @effect/opentelemetry's producer, and the
  // proxy's request counter and latency histogram on an OpenTelemetry meter; one OTLP reader for both.
  const effectMetrics = Effect.runSync(
    OtelMetrics.makeProducer().pipe(Effect.provideService(OtelResource.Resource, resource))
  )
  const exportIntervalMillis = Number(env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000
  const reader = new PeriodicExportingMetricReader({
    exporter:
      (metricExporter as PushMetricExporter | undefined) ?? new OTLPMetricExporter(exporterConfig(env, "metrics")),
    exportIntervalMillis,
    metricProducers: [effectMetrics]
  })
  const meters = new MeterProvider({ resource, readers: [reader] })
  const meter = meters.getMeter("@ipos/auth-proxy")
  const requests = meter.createCounter("ipos_proxy_requests", { description: "Proxied requests" })
  const latency = meter.createHistogram("ipos_proxy_upstream_latency", {
    description: "Upstream latency to response headers",
    unit: "ms"
  })
  const tracer = Effect.runSync(
    OtelTracer.make.pipe(Effect.provideService(OtelTracer.OtelTracer, provider.getTracer("@ipos/auth-proxy")))
  )
  return {
    tracer,
    request: (attributes) => {
      const span = Effect.runSync(
        Effect.makeSpan("ipos.proxy.request", {
          kind: "server",
          root: true,
          attributes: {
            "http.request.method": attributes.method,
            "url.path": attributes.path,
            "ipos.scope": attributes.scope,
            "ipos.credentials_id": attributes.credentialsId
          }
        }).pipe(Effect.provideService(Tracer.Tracer, tracer))
      )
      return {
        end: (fields) => {
          const labels = { "ipos.scope": attributes.scope, "ipos.outcome": fields.outcome, status: fields.status }
          requests.add(1, labels)
          if (fields.upstreamMs !== undefined) latency.record(fields.upstreamMs, { "ipos.scope": attributes.scope })
          span.attribute("http.response.status_code", fields.status)
          span.attribute("ipos.outcome", fields.outcome)
          if (fields.upstreamMs !== undefined) span.attribute("ipos.upstream_ms", fields.upstreamMs)
          if (fields.code !== undefined) span.attribute("ipos.code", fields.code)
          span.end(nowNanos(), fields.status >= 500 || fields.status === 0 ? Exit.fail(fields.outcome) : Exit.void)
        }
      }
    },
    shutdown: async () => {
      await provider.shutdown()
      await meters.shutdown()
    }
  }
}
