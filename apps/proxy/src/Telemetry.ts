/**
 * OpenTelemetry, only when the standard variables ask for it (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, unless `OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none`): the core's spans (`ipos.token.acquire`, `ipos.auth.*`) and one
 * `ipos.proxy.request` span per proxied request go out over OTLP/HTTP through
 * `@effect/opentelemetry`, with the core's metrics (`ipos_auth_*`, through its metric producer) and
 * the proxy's `ipos_proxy_requests` / `ipos_proxy_upstream_latency`. Unconfigured, nothing is loaded and nothing is sent.
 *
 * `@effect/opentelemetry` 4.1 needs Node ≥ 22.19: on an older Node, asking for OTLP gives one
 * warning line and the proxy runs without telemetry. The OpenTelemetry modules are imported lazily
 * (`./Otel.js`), so merely loading the proxy never loads them.
 *
 * @since 0.2.0
 */
import * as Tracer from "effect/Tracer"

/**
 * What the proxy records per request (never a token or a key).
 *
 * @since 0.2.0
 * @category models
 */
export interface RequestSpan {
  readonly end: (fields: {
    readonly status: number
    readonly outcome: string
    readonly upstreamMs: number | undefined
    readonly code: string | undefined
  }) => void
}

/**
 * A running telemetry pipeline.
 *
 * @since 0.2.0
 * @category models
 */
export interface Telemetry {
  /** The tracer handed to the core's token managers. */
  readonly tracer: Tracer.Tracer
  /** Starts the span of one proxied request. */
  readonly request: (attributes: {
    readonly method: string
    readonly path: string
    readonly scope: string
    readonly credentialsId: string
  }) => RequestSpan
  /** Flushes what is buffered and stops. */
  readonly shutdown: () => Promise<void>
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * True when the OpenTelemetry variables ask for an OTLP export of traces.
 *
 * @example
 * ```ts
 * import { otlpRequested } from "@ipos/auth-proxy"
 * otlpRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }) // true
 * otlpRequested({}) // false
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const otlpRequested = (env: Env): boolean =>
  env.OTEL_SDK_DISABLED?.toLowerCase() !== "true" &&
  env.OTEL_TRACES_EXPORTER?.toLowerCase() !== "none" &&
  [env.OTEL_EXPORTER_OTLP_ENDPOINT, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT].some((v) => v !== undefined && v !== "")

/**
 * True on a Node that `@effect/opentelemetry` 4.1 supports (≥ 22.19).
 *
 * @example
 * ```ts
 * import { otlpSupported } from "@ipos/auth-proxy"
 * otlpSupported("v20.19.0") // false
 * otlpSupported("v24.1.0") // true
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const otlpSupported = (version: string = process.version): boolean => {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number)
  return major > 22 || (major === 22 && minor >= 19)
}

/**
 * Options of {@link startTelemetry}.
 *
 * @since 0.2.0
 * @category models
 */
export interface TelemetryOptions {
  readonly env: Env
  /** One line when OTLP is asked for but cannot run here. */
  readonly warn: (line: string) => void
  /** Where spans go instead of OTLP (tests: the SDK's in-memory exporter). */
  readonly spanProcessor?: unknown
  /** Where metrics go instead of OTLP (tests: the SDK's in-memory metric exporter). */
  readonly metricExporter?: unknown
  /** The Node version (default `process.version`). */
  readonly nodeVersion?: string
}

/**
 * Starts telemetry when asked for and possible; `undefined` otherwise.
 *
 * @example
 * ```ts
 * import { startTelemetry } from "@ipos/auth-proxy"
 * const telemetry = await startTelemetry({ env: process.env, warn: console.error })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const startTelemetry = async (options: TelemetryOptions): Promise<Telemetry | undefined> => {
  if (options.spanProcessor === undefined && !otlpRequested(options.env)) return undefined
  const version = options.nodeVersion ?? process.version
  if (!otlpSupported(version)) {
    options.warn(`OTLP export needs Node >= 22.19 (this is ${version}): running without telemetry`)
    return undefined
  }
  const otel = await import("./Otel.js")
  return otel.makeTelemetry(options.env, options.spanProcessor, options.metricExporter)
}

/**
 * The tracer with the credential set's id (never a key) on every span it starts, so that the core's
 * spans say which set minted a token.
 *
 * @example
 * ```ts
 * import { withCredentialsId } from "@ipos/auth-proxy"
 * const tracer = withCredentialsId(telemetry.tracer, "3f9a01c2")
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const withCredentialsId = (base: Tracer.Tracer, credentialsId: string): Tracer.Tracer =>
  Tracer.make({
    span(options) {
      const span = base.span(options)
      span.attribute("ipos.credentials_id", credentialsId)
      return span
    },
    context: base.context
  })
