/**
 * `startProxy`: the sidecar as a running server — reserved paths, the one-destination rule, header
 * and body limits, forwarding, and a graceful stop that drains in-flight requests.
 *
 * @since 0.1.0
 */
import * as http from "node:http"
import type { Duplex } from "node:stream"
import {
  type CreateTokenManagerOptions,
  type CredentialSet,
  createRotatingTokenManager,
  credentialsId,
  makeCredentials,
  type PromiseTokenManager,
  type RotatingTokenManager,
  type RotationEvent,
  type RotationOutcome,
  type Scope
} from "@ipos/auth-core"
import { createNodeTokenManager } from "@ipos/auth-core/node"
import { redisTokenStore } from "@ipos/auth-redis"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type * as Tracer from "effect/Tracer"
import { buildConnector } from "undici"
import { makeAdmin, reservedPrefix } from "./Admin.js"
import { rawRejection, rejectAnswer, sendJson } from "./Answers.js"
import type { ProxyConfig } from "./Config.js"
import { type CredentialSource, credentialSource } from "./CredentialFiles.js"
import { type AccessEntry, makeForwarder } from "./Forward.js"
import type { LogEntry, LogSink } from "./Log.js"
import { ProxyMetrics, type RejectReason } from "./Metrics.js"
import { makeRouter } from "./Routes.js"
import { startTelemetry, type Telemetry, withCredentialsId } from "./Telemetry.js"
import { isRotating, makeTokenSource, type TokenSource } from "./TokenSource.js"
import { ExchangeFailure, UpstreamPool } from "./Upstream.js"

/**
 * A running proxy.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningProxy {
  /** `http://HOST:PORT` it listens on (the actual port when started with port 0). */
  readonly url: string
  readonly port: number
  readonly metrics: ProxyMetrics
  readonly source: TokenSource
  /**
   * Re-reads the credentials (what SIGHUP does) and, when they changed, rotates make-before-break;
   * `"unchanged"` for an injected manager that cannot rotate.
   */
  readonly rotate: () => Promise<RotationOutcome>
  /**
   * Stops accepting, lets in-flight requests finish within the drain limit, then closes every
   * connection and the token manager. Safe to call twice.
   */
  readonly stop: () => Promise<void>
}

/**
 * Options of {@link startProxy}.
 *
 * @since 0.1.0
 * @category models
 */
export interface StartOptions {
  /** Where the `IPOS_*` variables are read (default: none). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** One line per state change (and its structured entry); never a token or a key. */
  readonly log?: LogSink
  /** A token manager to use instead of one built from `env` and the config (tests). */
  readonly tokens?: PromiseTokenManager
  /** How often the credential files are re-read besides watching them (default: the config's). */
  readonly credentialsPollMs?: number
  /** Spans go here instead of OTLP (tests: the SDK's in-memory exporter in a span processor). */
  readonly spanProcessor?: unknown
  /** Metrics go here instead of OTLP (tests: the SDK's in-memory metric exporter). */
  readonly metricExporter?: unknown
  /** The Node version telemetry checks (default `process.version`; tests). */
  readonly nodeVersion?: string
  /** How upstream connections are opened (default: undici's connector); tests inject one that stalls. */
  readonly connect?: buildConnector.connector
}

/**
 * undici's connector with the proxy's connect timeout on top, so that it holds for any connector
 * (a connection that never completes fails as `connect_timeout`).
 */
const withConnectTimeout =
  (base: buildConnector.connector, timeoutMs: number): buildConnector.connector =>
  (options, callback) => {
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      callback(new ExchangeFailure("connect_timeout"), null)
    }, timeoutMs)
    base(options, (...result) => {
      if (settled) {
        result[1]?.destroy()
        return
      }
      settled = true
      clearTimeout(timer)
      callback(...result)
    })
  }

const idOf = (set: CredentialSet): string => {
  const made = makeCredentials(set)
  return Result.isSuccess(made) ? credentialsId(made.success) : "invalid"
}

const keyOrUnset = (key: string | Redacted.Redacted<string>): string | undefined => {
  const text = typeof key === "string" ? key : Redacted.value(key)
  return text === "" ? undefined : text
}

/**
 * Builds the core's token manager from the config and the `IPOS_*` variables (keys from the
 * variables or from the `_FILE` ones), refreshing ahead in the background (`keepFresh`), inside a
 * rotating manager so that new credentials replace the old ones make-before-break. Fails with a
 * usage message when the settings are invalid.
 *
 * @example
 * ```ts
 * import { makeTokens } from "@ipos/auth-proxy"
 * const made = makeTokens(config, process.env) // Result<{ tokens, credentials }, string>
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTokens = (
  config: ProxyConfig,
  env: Readonly<Record<string, string | undefined>>,
  tracer?: Tracer.Tracer
): Result.Result<{ readonly tokens: RotatingTokenManager; readonly credentials: CredentialSource }, string> => {
  const credentials = credentialSource(env)
  if (Result.isFailure(credentials)) return Result.fail(credentials.failure)
  const source = credentials.success
  const tokens = createRotatingTokenManager({
    initial: source.initial,
    // Every routed scope must have a token minted with new credentials before they replace the old.
    scopes: config.routes.map((r) => r.scope as Scope),
    credentials: source.read,
    make: (set) =>
      createNodeTokenManager({
        ...(tracer === undefined ? {} : { tracer: withCredentialsId(tracer, idOf(set)) }),
        fromEnv: env,
        // An empty key stays unset so that the core names the variable that is missing.
        apiKey: keyOrUnset(set.apiKey),
        secretKey: keyOrUnset(set.secretKey),
        // The core validates these: a wrong value ends in its ValidationError below.
        scope: config.scope as CreateTokenManagerOptions["scope"],
        env: config.env as CreateTokenManagerOptions["env"],
        baseUrl: config.authUrl,
        expiryMinutes: config.expiryMinutes,
        keepFresh: true,
        // One store per manager: a rotation's new manager gets its own connection.
        store:
          config.redisUrl === undefined
            ? undefined
            : redisTokenStore({ url: config.redisUrl, encryptionKey: env.IPOS_REDIS_TOKEN_KEY || undefined })
      })
  })
  const error = tokens.status().lastError
  return error?.kind === "validation" ? Result.fail(error.message) : Result.succeed({ tokens, credentials: source })
}

const isoOf = (ms: number) => new Date(ms).toISOString()

/** The log line of a rotation event (ids and codes only). */
const rotationLine = (event: RotationEvent): [string, LogEntry] => {
  if (event._tag === "CredentialsRotated")
    return [
      `credentials rotated: ${event.from} -> ${event.to}`,
      { level: "info", event: "credentials_rotated", fields: { from: event.from, credentialsId: event.to } }
    ]
  const code = event.error.code ?? event.error._tag
  return [
    `credentials ${event.credentialsId} refused (${code}): keeping the current token; retrying at ${isoOf(event.retryAt)}`,
    {
      level: "warn",
      event: "credentials_refused",
      fields: {
        credentialsId: event.credentialsId,
        code,
        consecutiveFailures: event.consecutiveFailures,
        retryAt: isoOf(event.retryAt)
      }
    }
  ]
}

const formatHost = (host: string) => (host.includes(":") ? `[${host}]` : host)

/**
 * Starts the proxy and resolves once it listens; it starts acquiring a token at once and answers
 * (failing closed) until it has one.
 *
 * @example
 * ```ts
 * import { parseCommand, startProxy } from "@ipos/auth-proxy"
 * const proxy = await startProxy(config, { env: process.env, log: (line) => console.error(line) })
 * console.log(`listening on ${proxy.url}`)
 * await proxy.stop()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const startProxy = async (
  config: ProxyConfig,
  options: StartOptions = {}
): Promise<Result.Result<RunningProxy, string>> => {
  const log: LogSink = options.log ?? (() => {})
  const telemetry: Telemetry | undefined = await startTelemetry({
    env: options.env ?? {},
    warn: (line) => log(line, { level: "warn", event: "telemetry_unavailable" }),
    spanProcessor: options.spanProcessor,
    metricExporter: options.metricExporter,
    ...(options.nodeVersion === undefined ? {} : { nodeVersion: options.nodeVersion })
  })
  let tokens = options.tokens
  let credentials: CredentialSource | undefined
  if (tokens === undefined) {
    const made = makeTokens(config, options.env ?? {}, telemetry?.tracer)
    if (Result.isFailure(made)) {
      await telemetry?.shutdown()
      return Result.fail(made.failure)
    }
    tokens = made.success.tokens
    credentials = made.success.credentials
  }
  const rotating = isRotating(tokens) ? tokens : undefined
  const metrics = new ProxyMetrics()
  // Registered before the sources': the line comes before the sources re-acquire.
  rotating?.onRotation((event) => {
    metrics.bump(metrics.rotations, event._tag === "CredentialsRotated" ? "rotated" : "refused")
    log(...rotationLine(event))
  })
  const rotate = (): Promise<RotationOutcome> => rotating?.rotate() ?? Promise.resolve("unchanged")
  const stopWatching = credentials?.watch(() => void rotate(), options.credentialsPollMs ?? config.credentialsPollMs)
  const source = makeTokenSource({ tokens, scope: tokens.status().scope, log })
  // One source per other routed scope, sharing the manager (the default source closes it).
  const sources = new Map<string, TokenSource>([[source.scope, source]])
  for (const { scope } of config.routes)
    if (!sources.has(scope)) sources.set(scope, makeTokenSource({ tokens, scope, log, closeManager: false }))
  const route = makeRouter(config.routes, sources, source)
  const pool = new UpstreamPool({
    origin: config.upstream,
    connect: withConnectTimeout(
      options.connect ?? buildConnector({ timeout: config.connectTimeoutMs }),
      config.connectTimeoutMs
    ),
    headersTimeoutMs: config.responseTimeoutMs,
    bodyTimeoutMs: config.bodyTimeoutMs
  })
  let stopping = false
  const access = config.accessLog
    ? (e: AccessEntry) =>
        log(`${e.method} ${e.path} ${e.status} ${e.upstreamMs === undefined ? "-" : `${e.upstreamMs}ms`} ${e.scope}`, {
          level: "info",
          event: "access",
          fields: { method: e.method, path: e.path, status: e.status, upstreamMs: e.upstreamMs, scope: e.scope }
        })
    : undefined
  const trace =
    telemetry === undefined
      ? undefined
      : (a: { method: string; path: string; scope: string }) =>
          telemetry.request({ ...a, credentialsId: rotating?.credentialsId() ?? "" })
  const forward = makeForwarder({ config, source, metrics, pool, stopping: () => stopping, route, access, trace })
  const admin = makeAdmin(source, metrics, config.routes.length > 0 ? [...sources.values()] : [])

  const reject = (req: http.IncomingMessage, res: http.ServerResponse, reason: RejectReason): void => {
    metrics.bump(metrics.rejected, reason)
    const { status, body } = rejectAnswer(reason)
    metrics.answered(status)
    // The body is not read: close rather than parse it.
    sendJson(res, status, body, [], reason === "unsupported_transfer_coding")
    req.resume()
  }
  const rejectRaw = (socket: Duplex, reason: RejectReason): void => {
    metrics.bump(metrics.rejected, reason)
    metrics.answered(rejectAnswer(reason).status)
    socket.end(rawRejection(reason))
  }

  const server = http.createServer(
    { maxHeaderSize: config.maxHeaderBytes, keepAliveTimeout: 65_000, noDelay: true },
    (req, res) => {
      const url = req.url ?? ""
      // Origin-form only: an absolute-form (or asterisk-form) target never picks a destination,
      // nor does `//host/…`, which an upstream's `new URL(path, base)` reads as another host.
      if (url.charCodeAt(0) !== 47 || url.charCodeAt(1) === 47) return reject(req, res, "absolute_form")
      // Node decodes chunked framing only: another coding would reach the upstream decoded but unnamed.
      const coding = req.headers["transfer-encoding"]
      if (coding !== undefined && coding.trim().toLowerCase() !== "chunked")
        return reject(req, res, "unsupported_transfer_coding")
      if (url.startsWith(reservedPrefix)) return admin(req, res)
      forward(req, res)
    }
  )
  server.on("connect", (_req: http.IncomingMessage, socket: Duplex) => {
    rejectRaw(socket, "connect")
  })
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? ""
    if (!code.startsWith("HPE_") || !socket.writable) return void socket.destroy()
    const reason = code === "HPE_HEADER_OVERFLOW" ? "header_too_large" : "bad_request"
    rejectRaw(socket, reason)
  })

  const listening = await new Promise<Result.Result<number, string>>((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      resolve(Result.fail(`cannot listen on ${config.listenHost}:${config.listenPort}: ${error.code ?? error.message}`))
    )
    server.listen(config.listenPort, config.listenHost, () => {
      const address = server.address()
      resolve(Result.succeed(typeof address === "object" && address !== null ? address.port : config.listenPort))
    })
  })
  const closeSources = async () => {
    for (const other of sources.values()) if (other !== source) await other.close()
    await source.close()
  }
  if (Result.isFailure(listening)) {
    stopWatching?.()
    await closeSources()
    await telemetry?.shutdown()
    return Result.fail(listening.failure)
  }
  const port = listening.success

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true
      stopWatching?.()
      server.close()
      server.closeIdleConnections()
      const deadline = Date.now() + config.drainMs
      while (metrics.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
      server.closeAllConnections()
      await pool.destroy()
      await closeSources()
      await telemetry?.shutdown()
    })()
    return stopped
  }

  return Result.succeed({ url: `http://${formatHost(config.listenHost)}:${port}`, port, metrics, source, rotate, stop })
}
