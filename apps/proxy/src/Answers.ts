/**
 * The answers the proxy gives itself, as JSON: failing closed (no valid token), upstream failures,
 * refused requests. Each names its class; none holds a token or a key (the failure summaries come
 * from the core, which never puts either in a message).
 *
 * @since 0.1.0
 */
import type { ServerResponse } from "node:http"
import type { FailureSummary } from "@ipos/auth-core"
import type { RejectReason, UpstreamErrorClass } from "./Metrics.js"

/**
 * Sends `body` as JSON with `status` (and `Connection: close` when asked, e.g. while draining or
 * after an unread request body).
 *
 * @example
 * ```ts
 * import { sendJson } from "@ipos/auth-proxy"
 * sendJson(res, 200, { status: "ok" })
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: ReadonlyArray<string> = [],
  close = false
): void => {
  const text = `${JSON.stringify(body)}\n`
  const headers = [
    "content-type",
    "application/json; charset=utf-8",
    "content-length",
    String(Buffer.byteLength(text)),
    "cache-control",
    "no-store",
    ...extra
  ]
  if (close) headers.push("connection", "close")
  res.writeHead(status, headers)
  res.end(text)
}

/**
 * The status and body of a request that cannot be forwarded for want of a valid token: `502` when
 * iPOSpays refused the proxy's credentials (or they are invalid), else `503` with `Retry-After`.
 *
 * @example
 * ```ts
 * import { failClosedAnswer } from "@ipos/auth-proxy"
 * failClosedAnswer(undefined, 2)
 * // { status: 503, retryAfter: 2, body: { error: "token_unavailable", class: "starting", ... } }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const failClosedAnswer = (
  error: FailureSummary | undefined,
  retryAfterSeconds: number
): { status: number; retryAfter: number | undefined; body: Record<string, unknown> } => {
  if (error === undefined) {
    return {
      status: 503,
      retryAfter: retryAfterSeconds,
      body: {
        error: "token_unavailable",
        class: "starting",
        message: "the proxy holds no valid token yet; the request was not forwarded"
      }
    }
  }
  const refused = error.kind === "rejected" || error.kind === "validation"
  return {
    status: refused ? 502 : 503,
    retryAfter: refused ? undefined : retryAfterSeconds,
    body: {
      error: "token_unavailable",
      class: error.kind,
      reason: error._tag,
      ...(error.code === undefined ? {} : { code: error.code }),
      message: `the proxy holds no valid token (${error.message}); the request was not forwarded`
    }
  }
}

/** A local answer: its status and a JSON body naming the error. */
interface LocalAnswer {
  readonly status: number
  readonly body: { readonly error: string; readonly message: string }
}

const answerOf = (table: Record<string, readonly [number, string]>, key: string, error: string): LocalAnswer => {
  const [status, message] = table[key]!
  return { status, body: { error, message } }
}

const upstreamMessages: Record<UpstreamErrorClass, readonly [number, string]> = {
  refused: [502, "the upstream refused the connection"],
  reset: [502, "the upstream reset the connection"],
  connect_timeout: [504, "connecting to the upstream timed out"],
  response_timeout: [504, "the upstream did not answer in time"],
  invalid_response: [502, "the upstream's response could not be read as HTTP/1.1"],
  error: [502, "the upstream exchange failed"]
}

/**
 * The answer to a failed upstream exchange: `504` for timeouts, `502` otherwise.
 *
 * @example
 * ```ts
 * import { upstreamFailureAnswer } from "@ipos/auth-proxy"
 * upstreamFailureAnswer("connect_timeout") // { status: 504, body: { error: "upstream_connect_timeout", ... } }
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const upstreamFailureAnswer = (failure: UpstreamErrorClass): LocalAnswer =>
  answerOf(upstreamMessages, failure, `upstream_${failure}`)

const rejectMessages: Record<RejectReason, readonly [number, string]> = {
  absolute_form: [400, "only origin-form targets (/path) are proxied, to the one configured upstream"],
  connect: [405, "CONNECT is not supported: this proxy forwards to one configured upstream only"],
  body_too_large: [413, "the request body is larger than the proxy accepts"],
  header_too_large: [431, "the request head is larger than the proxy accepts"],
  bad_request: [400, "malformed request"],
  unsupported_transfer_coding: [501, "only the chunked transfer coding is supported in requests"]
}

/**
 * The answer to a request refused before forwarding.
 *
 * @example
 * ```ts
 * import { rejectAnswer } from "@ipos/auth-proxy"
 * rejectAnswer("body_too_large").status // 413
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const rejectAnswer = (reason: RejectReason): LocalAnswer => answerOf(rejectMessages, reason, reason)

/**
 * The same as a raw HTTP/1.1 message, for sockets that have no `ServerResponse` (a CONNECT, a
 * head that failed to parse).
 *
 * @example
 * ```ts
 * import { rawRejection } from "@ipos/auth-proxy"
 * socket.end(rawRejection("connect"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const rawRejection = (reason: RejectReason): string => {
  const { status, body } = rejectAnswer(reason)
  const text = `${JSON.stringify(body)}\n`
  const phrase: Record<number, string> = {
    400: "Bad Request",
    405: "Method Not Allowed",
    413: "Content Too Large",
    431: "Request Header Fields Too Large",
    501: "Not Implemented"
  }
  return `HTTP/1.1 ${status} ${phrase[status] ?? "Error"}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`
}
