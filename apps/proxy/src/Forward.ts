/**
 * One proxied exchange: a client request forwarded to the one upstream with the proxy's token,
 * streamed both ways (the response with `pipe`, the request chunk by chunk with backpressure,
 * keeping small bodies for one replay), with connect and response-header timeouts, and one replay
 * with a new token when the upstream answers 401.
 *
 * @since 0.1.0
 */
import * as http from "node:http"
import * as https from "node:https"
import type { Socket } from "node:net"
import { failClosedAnswer, rejectAnswer, sendJson, upstreamFailureAnswer } from "./Answers.js"
import type { ProxyConfig } from "./Config.js"
import { requestHeaders, responseHeaders } from "./HopByHop.js"
import type { ProxyMetrics, UpstreamErrorClass } from "./Metrics.js"
import type { TokenSource } from "./TokenSource.js"

/**
 * What every exchange shares.
 *
 * @since 0.1.0
 * @category models
 */
export interface ForwardContext {
  readonly config: ProxyConfig
  readonly source: TokenSource
  readonly metrics: ProxyMetrics
  readonly agent: http.Agent
  /** True once a graceful stop began: answers carry `Connection: close`. */
  readonly stopping: () => boolean
}

class ExchangeFailure extends Error {
  constructor(readonly failure: UpstreamErrorClass) {
    super(failure)
  }
}

const classify = (error: unknown): UpstreamErrorClass => {
  if (error instanceof ExchangeFailure) return error.failure
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === "ECONNREFUSED") return "refused"
  if (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET") return "reset"
  return "error"
}

/**
 * Builds the request handler of proxied (non-reserved) requests.
 *
 * @example
 * ```ts
 * import { makeForwarder } from "@ipos/auth-proxy"
 * const forward = makeForwarder(context)
 * http.createServer((req, res) => forward(req, res))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeForwarder = (ctx: ForwardContext) => {
  const { config, source, metrics, agent } = ctx
  const upstream = config.upstream
  const request = upstream.protocol === "https:" ? https.request : http.request
  const hostname = upstream.hostname.replace(/^\[(.*)\]$/, "$1")
  const port = upstream.port === "" ? (upstream.protocol === "https:" ? 443 : 80) : Number(upstream.port)
  const host = upstream.host
  const tokenHeader = config.tokenHeader
  const { maxBodyBytes, replayBufferBytes, connectTimeoutMs, responseTimeoutMs, tokenWaitMs } = config

  const connectTimeout = (socket: Socket, up: http.ClientRequest) => {
    if (!socket.connecting) return
    const timer = setTimeout(() => up.destroy(new ExchangeFailure("connect_timeout")), connectTimeoutMs)
    socket.once("connect", () => clearTimeout(timer))
    socket.once("close", () => clearTimeout(timer))
  }

  /** The state of one client request across its (at most two) upstream attempts. */
  class Exchange {
    up: http.ClientRequest | undefined = undefined
    token = ""
    attempt = 0
    staleRetried = false
    /** Chunks kept for a replay; `undefined` once the body outgrew the replay buffer. */
    kept: Array<Buffer> | undefined = []
    bytes = 0
    timer: ReturnType<typeof setTimeout> | undefined = undefined
    sentAt = 0
    finished = false
    readonly hasBody: boolean
    readonly chunked: boolean

    constructor(
      readonly req: http.IncomingMessage,
      readonly res: http.ServerResponse
    ) {
      const length = req.headers["content-length"]
      this.chunked = req.headers["transfer-encoding"] !== undefined
      this.hasBody = this.chunked || (length !== undefined && length !== "0")
      res.on("close", () => this.closed())
    }

    closed(): void {
      if (this.finished) return
      this.finished = true
      metrics.inFlight -= 1
      clearTimeout(this.timer)
      // The client went away before the answer was complete: abort the upstream request.
      if (!this.res.writableFinished && this.up !== undefined) this.up.destroy()
    }

    send(token: string): void {
      this.token = token
      const { headers, clientToken } = requestHeaders(this.req.rawHeaders, host, tokenHeader, token, this.chunked)
      if (clientToken && this.attempt === 0 && !this.staleRetried) metrics.clientTokensOverwritten += 1
      metrics.tokensInjected += 1
      const up = request({
        agent,
        hostname,
        port,
        method: this.req.method,
        path: this.req.url,
        headers,
        setHost: false
      })
      this.up = up
      this.sentAt = performance.now()
      this.timer = setTimeout(() => up.destroy(new ExchangeFailure("response_timeout")), responseTimeoutMs)
      up.on("socket", (socket: Socket) => connectTimeout(socket, up))
      up.on("response", (upRes) => this.response(up, upRes))
      up.on("error", (error) => this.failed(up, error))
      if (!this.hasBody) up.end()
      else if (this.attempt === 0 && !this.staleRetried) this.stream(up)
      else {
        for (const chunk of this.kept ?? []) up.write(chunk)
        up.end()
      }
    }

    /** First attempt with a body: stream it, keeping it while it fits the replay buffer. */
    stream(up: http.ClientRequest): void {
      const req = this.req
      const resume = () => req.resume()
      req.on("data", (chunk: Buffer) => {
        this.bytes += chunk.length
        if (this.bytes > maxBodyBytes) return this.tooLarge()
        if (this.kept !== undefined) {
          if (this.bytes <= replayBufferBytes) this.kept.push(chunk)
          else this.kept = undefined
        }
        const target = this.up
        if (target !== undefined && !target.destroyed && !target.write(chunk)) {
          req.pause()
          target.once("drain", resume)
        }
      })
      req.on("end", () => {
        if (this.up === up) up.end()
      })
    }

    tooLarge(): void {
      metrics.bump(metrics.rejected, "body_too_large")
      clearTimeout(this.timer)
      const up = this.up
      this.up = undefined
      up?.destroy()
      this.req.removeAllListeners("data")
      this.req.resume()
      if (!this.res.headersSent) {
        const { status, body } = rejectAnswer("body_too_large")
        metrics.answered(status)
        sendJson(this.res, status, body, [], true)
      } else this.res.destroy()
    }

    replayable(): boolean {
      return this.kept !== undefined && (!this.hasBody || this.req.complete)
    }

    response(up: http.ClientRequest, upRes: http.IncomingMessage): void {
      if (this.up !== up) return void upRes.resume()
      clearTimeout(this.timer)
      metrics.latency((performance.now() - this.sentAt) / 1000)
      const status = upRes.statusCode ?? 502
      if (status === 401 && this.attempt === 0) {
        // Only the first refusal says the token is bad; a second one goes to the client as it is.
        const refusedToken = this.token
        const renewed = source.refused(refusedToken)
        if (this.replayable()) {
          upRes.resume()
          this.attempt = 1
          this.up = undefined
          metrics.replays += 1
          renewed.then((token) => {
            if (this.finished) return
            if (token === undefined || token === refusedToken) this.failClosed()
            else this.send(token)
          })
          return
        }
      }
      const headers = responseHeaders(upRes.rawHeaders)
      if (ctx.stopping()) headers.push("connection", "close")
      metrics.answered(status)
      this.res.writeHead(status, upRes.statusMessage, headers)
      upRes.pipe(this.res)
      upRes.on("error", () => this.res.destroy())
    }

    failed(up: http.ClientRequest, error: unknown): void {
      if (this.up !== up || this.finished) return
      clearTimeout(this.timer)
      const failure = classify(error)
      // A pooled connection the upstream had just closed: send once more on a fresh one.
      if (failure === "reset" && up.reusedSocket && !this.staleRetried && this.replayable()) {
        this.staleRetried = true
        this.up = undefined
        this.send(this.token)
        return
      }
      metrics.bump(metrics.upstreamErrors, failure)
      if (this.res.headersSent) return void this.res.destroy()
      const { status, body } = upstreamFailureAnswer(failure)
      metrics.answered(status)
      sendJson(this.res, status, body, [], ctx.stopping() || (this.hasBody && !this.req.complete))
    }

    /** No valid token now: wait (bounded) for an acquisition under way, else fail closed. */
    awaitToken(): void {
      void source.wait(tokenWaitMs).then((later) => {
        if (this.finished) return
        if (later === undefined) this.failClosed()
        else this.send(later)
      })
    }

    failClosed(): void {
      const error = source.lastError()
      const retryAfter = Math.max(1, Math.ceil((source.retryAt() - Date.now()) / 1000))
      const answer = failClosedAnswer(source.state() === "starting" ? undefined : error, retryAfter)
      metrics.bump(metrics.failClosed, answer.body.class as string)
      metrics.answered(answer.status)
      const extra = answer.retryAfter === undefined ? [] : ["retry-after", String(answer.retryAfter)]
      // The body was never read: close the connection rather than read it.
      sendJson(this.res, answer.status, answer.body, extra, ctx.stopping() || (this.hasBody && !this.req.complete))
    }
  }

  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    metrics.inFlight += 1
    const exchange = new Exchange(req, res)
    const length = req.headers["content-length"]
    if (length !== undefined && Number(length) > maxBodyBytes) exchange.tooLarge()
    else {
      const token = source.current()
      if (token !== undefined) exchange.send(token)
      else exchange.awaitToken()
    }
  }
}
