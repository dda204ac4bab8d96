/**
 * Failures between this process and iPOSpays that are not an `AUTH_ERR`: a request that took too
 * long ({@link Timeout}), a service that could not be reached or answered 5xx ({@link Unavailable}),
 * a 429 ({@link RateLimited}), and an answer that is neither a token nor an `AUTH_ERR`
 * ({@link MalformedResponse}: HTML, empty, not JSON, wrong shape).
 *
 * The first three are `retryable` and classified `"unavailable"` (CLI exit code 4, once retries are
 * spent); a malformed answer is not retried and is classified `"malformed"` (exit code 5).
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * Which endpoint a request went to.
 *
 * @example
 * ```ts
 * import type { Operation } from "@ipos/auth-core"
 * const path = (op: Operation) => (op === "authenticate" ? "/v1/authenticate-token" : "/v1/refresh-token")
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Operation = "authenticate" | "refresh"

/**
 * Where a failed call went and what it took, filled in by `AuthApi` once its retries are spent:
 * the origin only (scheme, host and port: never a path, a query or a header), the attempts made
 * and the time from the first attempt's start to the failure. Absent on failures built elsewhere.
 *
 * @example
 * ```ts
 * import { Unavailable } from "@ipos/auth-core"
 * new Unavailable({ operation: "authenticate", reason: "ECONNREFUSED", origin: "http://127.0.0.1:4010", attempts: 4, elapsedMs: 3812 }).message
 * // "iPOSpays authenticate unavailable: ECONNREFUSED (origin http://127.0.0.1:4010; 4 attempts over 3812 ms)"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface CallContext {
  /** The origin the request was sent to, e.g. `https://auth.ipospays.tech`. */
  readonly origin?: string | undefined
  /** Attempts made, the first included. */
  readonly attempts?: number | undefined
  /** Milliseconds from the first attempt's start to the failure (monotonic clock). */
  readonly elapsedMs?: number | undefined
}

// " (origin …; 4 attempts over 3812 ms)": what a reader needs to know where and how long.
const contextSuffix = (context: CallContext, attemptsPart?: string): string => {
  const parts: Array<string> = []
  if (context.origin !== undefined) parts.push(`origin ${context.origin}`)
  if (attemptsPart !== undefined) parts.push(attemptsPart)
  else if (context.attempts !== undefined && context.attempts > 1) {
    parts.push(
      context.elapsedMs === undefined
        ? `${context.attempts} attempts`
        : `${context.attempts} attempts over ${Math.round(context.elapsedMs)} ms`
    )
  }
  return parts.length === 0 ? "" : ` (${parts.join("; ")})`
}

/**
 * One attempt took longer than the per-attempt timeout; the request was aborted.
 *
 * @example
 * ```ts
 * import { Timeout } from "@ipos/auth-core"
 * new Timeout({ operation: "authenticate", timeoutMs: 10_000 }).message
 * // "iPOSpays authenticate timed out after 10000 ms"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends Data.TaggedError("Timeout")<
  {
    readonly operation: Operation
    /** The timeout of the last attempt (clamped to what was left of the retry budget). */
    readonly timeoutMs: number
  } & CallContext
> {
  /** Failure classification (CLI exit code 4). */
  readonly kind = "unavailable" as const
  /** Worth another attempt. */
  readonly retryable = true as const
  /** One safe line. */
  override get message(): string {
    // After retries the total is what a reader wants: one attempt's figure would understate it.
    if (this.attempts !== undefined && this.attempts > 1 && this.elapsedMs !== undefined) {
      return `iPOSpays ${this.operation} timed out after ${Math.round(this.elapsedMs)} ms in total${contextSuffix(
        this,
        `${this.attempts} attempts, the last one cut at ${this.timeoutMs} ms`
      )}`
    }
    return `iPOSpays ${this.operation} timed out after ${this.timeoutMs} ms${contextSuffix(this)}`
  }
}

/**
 * The service could not be reached (connection refused or reset, DNS, TLS) or answered with a 5xx
 * (or 408) that is not an `AUTH_ERR`. `status` is absent when no HTTP answer arrived.
 *
 * @example
 * ```ts
 * import { Unavailable } from "@ipos/auth-core"
 * new Unavailable({ operation: "refresh", status: 503, reason: "HTTP 503" }).message
 * // "iPOSpays refresh unavailable: HTTP 503"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class Unavailable extends Data.TaggedError("Unavailable")<
  {
    readonly operation: Operation
    /** The HTTP status, when an answer arrived. */
    readonly status?: number
    /** A short, safe reason: `HTTP 503`, `ECONNRESET`, `network error`. */
    readonly reason: string
  } & CallContext
> {
  /** Failure classification (CLI exit code 4). */
  readonly kind = "unavailable" as const
  /** Worth another attempt. */
  readonly retryable = true as const
  /** One safe line. */
  override get message(): string {
    return `iPOSpays ${this.operation} unavailable: ${this.reason}${contextSuffix(this)}`
  }
}

/**
 * The service answered 429. `retryAfterMs` comes from the `Retry-After` header (seconds or an HTTP
 * date) and is honoured by the retry policy.
 *
 * @example
 * ```ts
 * import { RateLimited } from "@ipos/auth-core"
 * new RateLimited({ operation: "authenticate", retryAfterMs: 2000 }).message
 * // "iPOSpays authenticate rate limited (HTTP 429), retry after 2000 ms"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Data.TaggedError("RateLimited")<
  {
    readonly operation: Operation
    /** How long the service asked to wait, when it said. */
    readonly retryAfterMs?: number
  } & CallContext
> {
  /** Failure classification (CLI exit code 4). */
  readonly kind = "unavailable" as const
  /** Worth another attempt, after `retryAfterMs`. */
  readonly retryable = true as const
  /** The HTTP status. */
  readonly status = 429 as const
  /** One safe line. */
  override get message(): string {
    const base =
      this.retryAfterMs === undefined
        ? `iPOSpays ${this.operation} rate limited (HTTP 429)`
        : `iPOSpays ${this.operation} rate limited (HTTP 429), retry after ${this.retryAfterMs} ms`
    return `${base}${contextSuffix(this)}`
  }
}

/**
 * The answer was neither a token nor an `AUTH_ERR`: an HTML page, an empty body, text that is not
 * JSON, JSON of the wrong shape, or a token that cannot be used. `excerpt` is a short redacted
 * start of the body (secrets replaced, JWTs masked, one line, at most 80 characters).
 *
 * @example
 * ```ts
 * import { MalformedResponse } from "@ipos/auth-core"
 * new MalformedResponse({ operation: "authenticate", status: 200, reason: "empty body", excerpt: "" }).message
 * // "iPOSpays authenticate sent an unexpected response (HTTP 200): empty body"
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponse extends Data.TaggedError("MalformedResponse")<
  {
    readonly operation: Operation
    /** The HTTP status of the answer. */
    readonly status: number
    /** What was wrong: `empty body`, `not JSON`, `unexpected shape`, ... */
    readonly reason: string
    /** The start of the body, redacted. */
    readonly excerpt: string
  } & CallContext
> {
  /** Failure classification (CLI exit code 5). */
  readonly kind = "malformed" as const
  /** Not retried: the same gateway would likely answer the same way. */
  readonly retryable = false as const
  /** One safe line. */
  override get message(): string {
    return `iPOSpays ${this.operation} sent an unexpected response (HTTP ${this.status}): ${this.reason}${contextSuffix(this)}`
  }
}

/**
 * Any transport failure.
 *
 * @example
 * ```ts
 * import type { TransportError } from "@ipos/auth-core"
 * const status = (e: TransportError) => ("status" in e ? e.status : undefined)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type TransportError = Timeout | Unavailable | RateLimited | MalformedResponse

/**
 * The same failure with where it went and what it took (see {@link CallContext}).
 *
 * @example
 * ```ts
 * import { Timeout, withCallContext } from "@ipos/auth-core"
 * withCallContext(new Timeout({ operation: "authenticate", timeoutMs: 9279 }), { origin: "https://auth.ipospays.tech", attempts: 3, elapsedMs: 30_000 }).message
 * // "iPOSpays authenticate timed out after 30000 ms in total (origin https://auth.ipospays.tech; 3 attempts, the last one cut at 9279 ms)"
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const withCallContext = <E extends TransportError>(error: E, context: CallContext): E => {
  const defined = Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined))
  switch (error._tag) {
    case "Timeout":
      return new Timeout({ operation: error.operation, timeoutMs: error.timeoutMs, ...defined }) as E
    case "Unavailable":
      return new Unavailable({
        operation: error.operation,
        reason: error.reason,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...defined
      }) as E
    case "RateLimited":
      return new RateLimited({
        operation: error.operation,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
        ...defined
      }) as E
    case "MalformedResponse":
      return new MalformedResponse({
        operation: error.operation,
        status: error.status,
        reason: error.reason,
        excerpt: error.excerpt,
        ...defined
      }) as E
  }
}

/**
 * Whether a value is one of the transport failures.
 *
 * @example
 * ```ts
 * import { isTransportError } from "@ipos/auth-core"
 * isTransportError(error) && error.retryable
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isTransportError = (u: unknown): u is TransportError =>
  u instanceof Timeout || u instanceof Unavailable || u instanceof RateLimited || u instanceof MalformedResponse
