/**
 * `startProxy`: the sidecar as a running server — reserved paths, the one-destination rule, header
 * and body limits, forwarding, and a graceful stop that drains in-flight requests.
 *
 * @since 0.1.0
 */
import * as http from "node:http"
import type { Duplex } from "node:stream"
import type { CreateTokenManagerOptions, PromiseTokenManager } from "@ipos/auth-core"
import { createNodeTokenManager } from "@ipos/auth-core/node"
import { redisTokenStore } from "@ipos/auth-redis"
import * as Result from "effect/Result"
import { buildConnector, Pool } from "undici"
import { makeAdmin, reservedPrefix } from "./Admin.js"
import { rawRejection, rejectAnswer, sendJson } from "./Answers.js"
import type { ProxyConfig } from "./Config.js"
import { ExchangeFailure, makeForwarder } from "./Forward.js"
import { ProxyMetrics, type RejectReason } from "./Metrics.js"
import { makeTokenSource, type TokenSource } from "./TokenSource.js"

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
  /** One line per token state change; never a token or a key. */
  readonly log?: (line: string) => void
  /** A token manager to use instead of one built from `env` and the config (tests). */
  readonly tokens?: PromiseTokenManager
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

/**
 * Builds the core's token manager from the config and the `IPOS_*` variables, refreshing ahead in
 * the background (`keepFresh`); fails with the core's message when the settings are invalid.
 *
 * @example
 * ```ts
 * import { makeTokens } from "@ipos/auth-proxy"
 * const tokens = makeTokens(config, process.env) // Result<PromiseTokenManager, string>
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTokens = (
  config: ProxyConfig,
  env: Readonly<Record<string, string | undefined>>
): Result.Result<PromiseTokenManager, string> => {
  const tokens = createNodeTokenManager({
    fromEnv: env,
    // The core validates both: a wrong value ends in its ValidationError below.
    scope: config.scope as CreateTokenManagerOptions["scope"],
    env: config.env as CreateTokenManagerOptions["env"],
    baseUrl: config.authUrl,
    expiryMinutes: config.expiryMinutes,
    keepFresh: true,
    store:
      config.redisUrl === undefined
        ? undefined
        : redisTokenStore({ url: config.redisUrl, encryptionKey: env.IPOS_REDIS_TOKEN_KEY || undefined })
  })
  const error = tokens.status().lastError
  return error?.kind === "validation" ? Result.fail(error.message) : Result.succeed(tokens)
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
  let tokens = options.tokens
  if (tokens === undefined) {
    const made = makeTokens(config, options.env ?? {})
    if (Result.isFailure(made)) return Result.fail(made.failure)
    tokens = made.success
  }
  const metrics = new ProxyMetrics()
  const status = tokens.status()
  const source = makeTokenSource({ tokens, scope: status.scope, log: options.log ?? (() => {}) })
  const pool = new Pool(config.upstream.origin, {
    connect: withConnectTimeout(
      options.connect ?? buildConnector({ timeout: config.connectTimeoutMs }),
      config.connectTimeoutMs
    ),
    headersTimeout: config.responseTimeoutMs,
    // Explicit rather than undici's silent 300 s default (0 = none).
    bodyTimeout: config.bodyTimeoutMs,
    pipelining: 1
  })
  let stopping = false
  const forward = makeForwarder({ config, source, metrics, pool, stopping: () => stopping })
  const admin = makeAdmin(source, metrics)

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
  if (Result.isFailure(listening)) {
    await source.close()
    return Result.fail(listening.failure)
  }
  const port = listening.success

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true
      server.close()
      server.closeIdleConnections()
      const deadline = Date.now() + config.drainMs
      while (metrics.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
      server.closeAllConnections()
      await pool.destroy()
      await source.close()
    })()
    return stopped
  }

  return Result.succeed({ url: `http://${formatHost(config.listenHost)}:${port}`, port, metrics, source, stop })
}
