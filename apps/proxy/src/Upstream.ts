/**
 * The upstream side of the proxy: a keep-alive pool of raw sockets to the one origin, one exchange
 * at a time on each. A request head goes out as one write (with a whole body, in the same
 * `writev`), a streamed body is written with backpressure, and the response is read with
 * {@link ResponseParser}. Body slices read in one socket read are handed on so that the last
 * one comes with the end (the client answer can then end in the same write).
 *
 * Connections are opened by undici's connector (TLS with session reuse, its connect timeout) or an
 * injected one. Timeouts (response headers, body pauses, idle keep-alive) are deadlines checked by
 * one coarse timer per pool, not a timer per request: they fire up to an eighth of their length
 * late.
 *
 * @since 0.3.0
 */
import type { Socket } from "node:net"
import type { buildConnector } from "undici"
import type { UpstreamErrorClass } from "./Metrics.js"
import { InvalidResponse, ResponseParser } from "./ResponseParser.js"

/**
 * A failure class chosen by the proxy itself (a timeout, a response it cannot read, a connection
 * closed before the answer).
 *
 * @example
 * ```ts
 * callback(new ExchangeFailure("connect_timeout"), null) // answered 504 upstream_connect_timeout
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ExchangeFailure extends Error {
  constructor(readonly failure: UpstreamErrorClass) {
    super(failure)
  }
}

/**
 * One request to send upstream.
 *
 * @since 0.3.0
 * @category models
 */
export interface UpstreamRequest {
  readonly method: string
  /** The origin-form target. */
  readonly path: string
  /** name, value, name, value…; latin1 text (the bytes the client sent). */
  readonly headers: ReadonlyArray<string>
  /** None, the whole body, or `"stream"`: written with {@link UpstreamCall.write} and `end`. */
  readonly body: Buffer | "stream" | null
  /** The headers carry `Content-Length` (else the pool frames a body itself). */
  readonly framed: boolean
}

/**
 * What a caller gets back from the pool, each called at most in this order: `onHeaders` once,
 * `onData` any number of times, then `onComplete` or `onError` (either ends the exchange).
 *
 * @since 0.3.0
 * @category models
 */
export interface UpstreamHandler {
  onHeaders(status: number, statusText: string, rawHeaders: Array<string>): void
  /** `false`: hold further data until {@link UpstreamCall.resume}. */
  onData(chunk: Buffer): boolean
  /** The response is complete; `last`: its final body slice, not given to `onData`. */
  onComplete(last: Buffer | undefined): void
  onError(error: Error): void
  /** A streamed request body may be written again (after `write` returned `false`). */
  onDrain(): void
}

/**
 * Options of {@link UpstreamPool}.
 *
 * @since 0.3.0
 * @category models
 */
export interface UpstreamPoolOptions {
  readonly origin: URL
  /** Opens a connection (undici's `buildConnector` or a compatible function). */
  readonly connect: buildConnector.connector
  /** Longest wait from sending a request to its response head, then `response_timeout`. */
  readonly headersTimeoutMs: number
  /** Longest pause between response body reads, then the exchange fails; 0 = none. */
  readonly bodyTimeoutMs: number
  /** How long an idle connection is kept (shortened by the upstream's `Keep-Alive: timeout`). */
  readonly idleTimeoutMs?: number
}

/** Methods a client may repeat without changing the outcome (RFC 9110 §9.2.2). */
const idempotent: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"])
/** Methods whose requests carry a body by definition: an empty one is announced as such. */
const expectsBody: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"])

enum Wait {
  None,
  Headers,
  Body,
  Idle
}

const crlf = "\r\n"
const lastChunk = "0\r\n\r\n"

/**
 * One request's passage through the pool (across a retry on a fresh connection).
 *
 * @since 0.3.0
 * @category models
 */
export class UpstreamCall {
  conn: Connection | undefined = undefined
  /** Ended: nothing more reaches the handler. */
  done = false
  /** A chunk of a streamed body was written to some connection. */
  bodyWritten = false
  bodyEnded = false
  retried = false
  /** Streamed body chunks written before a connection was ready. */
  queued: Array<Buffer> | undefined = undefined

  constructor(
    readonly pool: UpstreamPool,
    readonly request: UpstreamRequest,
    readonly handler: UpstreamHandler
  ) {}

  /** Writes a chunk of a streamed body; `false`: wait for the handler's `onDrain`. */
  write(chunk: Buffer): boolean {
    if (this.done) return true
    const conn = this.conn
    if (conn === undefined || conn.socket === undefined) {
      this.queued ??= []
      this.queued.push(chunk)
      return false
    }
    this.bodyWritten = true
    return conn.writeBody(chunk)
  }

  /** Ends a streamed body. */
  end(): void {
    if (this.done || this.bodyEnded) return
    this.bodyEnded = true
    const conn = this.conn
    if (conn?.socket !== undefined) conn.endBody()
  }

  /** Lets response data flow again after `onData` returned `false`. */
  resume(): void {
    if (!this.done) this.conn?.resume()
  }

  /** Abandons the exchange (the client went away): its connection is closed, no callback follows. */
  abort(): void {
    if (this.done) return
    this.done = true
    const conn = this.conn
    this.conn = undefined
    conn?.drop()
  }

  /** Ends the exchange with `error` (once). */
  fail(error: Error): void {
    if (this.done) return
    this.done = true
    this.conn = undefined
    this.handler.onError(error)
  }

  /** Whether the request can go again on a fresh connection: nothing of it is lost and repeating it is safe. */
  retryable(): boolean {
    const body = this.request.body
    return !this.retried && idempotent.has(this.request.method) && (body !== "stream" || !this.bodyWritten)
  }
}

/** One upstream connection and its parser; carries at most one exchange. */
class Connection {
  socket: Socket | undefined = undefined
  call: UpstreamCall | undefined = undefined
  readonly parser: ResponseParser
  /** It carried a complete exchange before (a reused socket may have been closed by the upstream). */
  reused = false
  /** A byte of the current response was read. */
  answered = false
  completed = false
  keepAlive = true
  paused = false
  /** The body slice held until the end of the current read. */
  held: Buffer | undefined = undefined
  wait = Wait.None
  deadline = Number.POSITIVE_INFINITY
  /** The current request uses chunked framing for its streamed body. */
  chunked = false

  constructor(readonly pool: UpstreamPool) {
    this.parser = new ResponseParser(this)
  }

  attach(socket: Socket): void {
    this.socket = socket
    socket.setNoDelay(true)
    socket.on("data", (chunk: Buffer) => this.read(chunk))
    socket.on("end", () => this.ended())
    socket.on("error", (error: Error) => this.broken(error))
    socket.on("close", () => this.closed())
    socket.on("drain", () => {
      const call = this.call
      if (call !== undefined && call.request.body === "stream" && !call.bodyEnded) call.handler.onDrain()
    })
  }

  /** Sends `call`'s request head (and whole body) in one write. */
  start(call: UpstreamCall): void {
    const socket = this.socket!
    const { method, path, headers, body, framed } = call.request
    this.call = call
    call.conn = this
    this.answered = false
    this.completed = false
    this.paused = false
    this.parser.expect(method)
    this.wait = Wait.Headers
    this.deadline = performance.now() + this.pool.headersTimeoutMs
    let head = `${method} ${path} HTTP/1.1\r\n`
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`
    this.chunked = false
    if (body === null) {
      if (!framed && expectsBody.has(method)) head += "content-length: 0\r\n"
      socket.write(`${head}\r\n`, "latin1")
      return
    }
    if (body !== "stream") {
      if (!framed) head += `content-length: ${body.length}\r\n`
      socket.cork()
      socket.write(`${head}\r\n`, "latin1")
      socket.write(body)
      socket.uncork()
      return
    }
    if (!framed) {
      head += "transfer-encoding: chunked\r\n"
      this.chunked = true
    }
    socket.write(`${head}\r\n`, "latin1")
    const queued = call.queued
    call.queued = undefined
    if (queued !== undefined) {
      call.bodyWritten = true
      for (const chunk of queued) this.writeBody(chunk)
    }
    if (call.bodyEnded) this.endBody()
    else if (queued !== undefined) call.handler.onDrain()
  }

  writeBody(chunk: Buffer): boolean {
    const socket = this.socket!
    if (this.wait === Wait.Headers) this.deadline = performance.now() + this.pool.headersTimeoutMs
    if (!this.chunked) return socket.write(chunk)
    if (chunk.length === 0) return true
    socket.cork()
    socket.write(`${chunk.length.toString(16)}\r\n`, "latin1")
    socket.write(chunk)
    const more = socket.write(crlf, "latin1")
    socket.uncork()
    return more
  }

  endBody(): void {
    if (this.chunked) this.socket!.write(lastChunk, "latin1")
  }

  resume(): void {
    if (!this.paused) return
    this.paused = false
    if (this.wait === Wait.Body && this.pool.bodyTimeoutMs > 0)
      this.deadline = performance.now() + this.pool.bodyTimeoutMs
    this.socket?.resume()
  }

  // ResponseParser events

  onHead(status: number, statusText: string, rawHeaders: Array<string>): void {
    const call = this.call!
    this.wait = Wait.Body
    this.deadline = this.pool.bodyTimeoutMs > 0 ? performance.now() + this.pool.bodyTimeoutMs : Number.POSITIVE_INFINITY
    call.handler.onHeaders(status, statusText, rawHeaders)
    if (this.call !== call) this.parser.stop()
  }

  onBody(chunk: Buffer): void {
    const held = this.held
    this.held = chunk
    if (held !== undefined) this.deliver(held)
  }

  onEnd(keepAlive: boolean): void {
    this.completed = true
    this.keepAlive = keepAlive
  }

  /** Hands a body slice on; pauses the socket when the handler asks to. */
  deliver(chunk: Buffer): void {
    const call = this.call
    if (call === undefined) return
    if (!call.handler.onData(chunk) && !this.paused && this.call === call) {
      this.paused = true
      // A client that stops reading holds this connection no longer than a silent upstream would.
      this.deadline =
        this.pool.bodyTimeoutMs > 0 ? performance.now() + this.pool.bodyTimeoutMs : Number.POSITIVE_INFINITY
      this.socket?.pause()
    }
    if (this.call !== call) this.parser.stop()
  }

  // socket events

  read(chunk: Buffer): void {
    const call = this.call
    if (call === undefined) {
      // Bytes from an idle connection: nothing may come between exchanges.
      this.drop()
      return
    }
    this.answered = true
    if (this.wait === Wait.Body && this.pool.bodyTimeoutMs > 0 && !this.paused)
      this.deadline = performance.now() + this.pool.bodyTimeoutMs
    const error = this.parser.feed(chunk)
    if (this.call !== call) return
    if (error !== undefined) {
      if (!this.completed) {
        this.held = undefined
        this.fail(error)
        return
      }
      // Bytes after a complete answer (a body on a HEAD, 204 or 304, say): the answer stands, but
      // the connection cannot be trusted to frame another one.
      this.keepAlive = false
    }
    if (this.completed) this.finish(call)
    else if (this.held !== undefined) {
      const held = this.held
      this.held = undefined
      this.deliver(held)
    }
  }

  /** The exchange is complete: the connection goes back to the pool when it can carry another. */
  finish(call: UpstreamCall): void {
    const last = this.held
    this.held = undefined
    this.call = undefined
    call.conn = undefined
    call.done = true
    const requestComplete = call.request.body !== "stream" || call.bodyEnded
    if (this.keepAlive && requestComplete && this.socket !== undefined && !this.socket.destroyed) {
      // Paused for a slow client while the rest of the same read completed the answer: reading
      // must go on, or the next exchange on this connection would never see its response.
      if (this.paused) {
        this.paused = false
        this.socket.resume()
      }
      this.reused = true
      this.pool.release(this)
    } else this.drop()
    call.handler.onComplete(last)
  }

  /** The upstream ended its side: the end of a read-until-close body, else a lost exchange. */
  ended(): void {
    const call = this.call
    if (call !== undefined) {
      this.parser.close()
      if (this.call === call) {
        if (this.completed) this.finish(call)
        else this.fail(new ExchangeFailure("reset"))
        return
      }
    }
    this.drop()
  }

  broken(error: Error): void {
    if (this.call !== undefined) this.fail(error)
    this.drop()
  }

  closed(): void {
    this.socket = undefined
    if (this.call !== undefined) this.fail(new ExchangeFailure("reset"))
    this.pool.forget(this)
  }

  /** Ends the current exchange with `error`, or retries it once on a fresh connection. */
  fail(error: Error): void {
    const call = this.call!
    this.call = undefined
    call.conn = undefined
    this.drop()
    // A reused connection that failed before any byte of the answer was most likely closed by
    // the upstream while idle (a keep-alive race): the request never reached it.
    const lost = error instanceof ExchangeFailure ? error.failure === "reset" : !(error instanceof InvalidResponse)
    if (this.reused && !this.answered && lost && call.retryable()) {
      call.retried = true
      this.pool.assign(call)
      return
    }
    call.fail(error instanceof InvalidResponse ? new ExchangeFailure("invalid_response") : error)
  }

  /** Closes the connection (any exchange on it is already detached or abandoned). */
  drop(): void {
    this.parser.stop()
    this.held = undefined
    this.call = undefined
    this.wait = Wait.None
    this.deadline = Number.POSITIVE_INFINITY
    this.pool.forget(this)
    this.socket?.destroy()
  }

  /** The deadline passed. */
  expired(): void {
    const wait = this.wait
    if (wait === Wait.Headers) this.fail(new ExchangeFailure("response_timeout"))
    else if (wait === Wait.Body) this.fail(new ExchangeFailure("error"))
    else this.drop()
  }
}

/**
 * A keep-alive connection pool to one origin, without a connection limit (like the undici `Pool`
 * it replaces): an idle connection is reused, else one is opened.
 *
 * @example
 * ```ts
 * import { buildConnector } from "undici"
 * import { UpstreamPool } from "@ipos/auth-proxy"
 * const pool = new UpstreamPool({
 *   origin: new URL("http://127.0.0.1:9000"),
 *   connect: buildConnector({ timeout: 5000 }),
 *   headersTimeoutMs: 30_000,
 *   bodyTimeoutMs: 300_000
 * })
 * const call = pool.dispatch({ method: "GET", path: "/", headers: ["host", "api"], body: null, framed: false }, handler)
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export class UpstreamPool {
  readonly headersTimeoutMs: number
  readonly bodyTimeoutMs: number
  readonly idleTimeoutMs: number
  private readonly connect: buildConnector.connector
  private readonly target: buildConnector.Options
  /** Every open (or opening) connection. */
  private readonly connections = new Set<Connection>()
  /** Idle connections, the most recently used last. */
  private readonly idle: Array<Connection> = []
  private readonly timer: ReturnType<typeof setInterval>
  private destroyed = false

  constructor(options: UpstreamPoolOptions) {
    const { origin } = options
    this.connect = options.connect
    this.headersTimeoutMs = options.headersTimeoutMs
    this.bodyTimeoutMs = options.bodyTimeoutMs
    this.idleTimeoutMs = options.idleTimeoutMs ?? 4000
    const https = origin.protocol === "https:"
    this.target = {
      hostname: origin.hostname.startsWith("[") ? origin.hostname.slice(1, -1) : origin.hostname,
      host: origin.host,
      protocol: origin.protocol,
      port: origin.port === "" ? (https ? "443" : "80") : origin.port
    }
    const shortest = Math.min(
      this.headersTimeoutMs,
      this.idleTimeoutMs,
      this.bodyTimeoutMs > 0 ? this.bodyTimeoutMs : Number.POSITIVE_INFINITY
    )
    this.timer = setInterval(() => this.sweep(), Math.min(1000, Math.max(5, Math.floor(shortest / 8))))
    this.timer.unref()
  }

  /**
   * Sends `request`; the answer goes to `handler`.
   */
  dispatch(request: UpstreamRequest, handler: UpstreamHandler): UpstreamCall {
    const call = new UpstreamCall(this, request, handler)
    this.assign(call)
    return call
  }

  /** Starts `call` on an idle connection, else on a new one. */
  assign(call: UpstreamCall): void {
    if (this.destroyed) {
      call.fail(new ExchangeFailure("error"))
      return
    }
    let conn = this.idle.pop()
    while (conn !== undefined && (conn.socket === undefined || conn.socket.destroyed)) conn = this.idle.pop()
    if (conn !== undefined) {
      conn.start(call)
      return
    }
    const fresh = new Connection(this)
    this.connections.add(fresh)
    this.connect(this.target, (error, socket) => {
      if (error !== null || socket === null) {
        this.connections.delete(fresh)
        call.fail(error ?? new ExchangeFailure("error"))
        return
      }
      fresh.attach(socket)
      if (this.destroyed) {
        fresh.drop()
        call.fail(new ExchangeFailure("error"))
      } else if (call.done) this.release(fresh)
      else fresh.start(call)
    })
  }

  /** Takes back a connection that can carry another exchange. */
  release(conn: Connection): void {
    const hint = conn.parser.keepAliveHint
    // The upstream closes at its `timeout`: stop reusing a second before (half a second for 1 s).
    const idleMs =
      hint > 1
        ? Math.min(this.idleTimeoutMs, hint * 1000 - 1000)
        : hint === 1
          ? Math.min(this.idleTimeoutMs, 500)
          : this.idleTimeoutMs
    conn.wait = Wait.Idle
    conn.deadline = performance.now() + idleMs
    this.idle.push(conn)
  }

  /** Removes a closed connection. */
  forget(conn: Connection): void {
    this.connections.delete(conn)
    const at = this.idle.indexOf(conn)
    if (at !== -1) this.idle.splice(at, 1)
  }

  private sweep(): void {
    if (this.connections.size === 0) return
    const now = performance.now()
    for (const conn of this.connections) if (conn.deadline <= now) conn.expired()
  }

  /** Closes every connection; exchanges under way fail. */
  destroy(): Promise<void> {
    this.destroyed = true
    clearInterval(this.timer)
    for (const conn of [...this.connections]) {
      if (conn.call !== undefined) {
        const call = conn.call
        conn.call = undefined
        call.fail(new ExchangeFailure("reset"))
      }
      conn.drop()
    }
    return Promise.resolve()
  }
}
