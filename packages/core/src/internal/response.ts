/**
 * Turns one HTTP answer into a token body or a typed failure. The body's shape decides first
 * (iPOSpays sends errors under 200, gateways send them under 4xx); the status only decides what a
 * body that is neither a token nor an `AUTH_ERR` means.
 *
 * @internal
 */
import * as Result from "effect/Result"
import { type AuthRejection, makeRejection } from "../AuthError.js"
import type { TokenResponse } from "../Schemas.js"
import { isResponseBodyTooLarge, maxResponseBodyBytes, ResponseBodyTooLarge } from "../Transport.js"
import { MalformedResponse, type Operation, RateLimited, Unavailable } from "../TransportError.js"
import { scrub } from "./redact.js"
import { decodeTokenResponse, isAuthErrorBody } from "./wire.js"

/** A body as read off the wire. */
export type RawBody =
  | { readonly kind: "empty" }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "json"; readonly value: unknown }

/** What one HTTP exchange produced. */
export interface RawAnswer {
  readonly status: number
  readonly body: RawBody
  readonly date: string | null
  readonly retryAfter: string | null
}

/** Reads a text body (possibly JSON). */
export const bodyFromText = (text: string | undefined): RawBody => {
  if (text === undefined || text.trim().length === 0) return { kind: "empty" }
  const trimmed = text.trim()
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { kind: "json", value: JSON.parse(trimmed) as unknown }
    } catch {
      return { kind: "text", text }
    }
  }
  return { kind: "text", text }
}

/** Reads what openapi-fetch hands back for a non-2xx answer (already JSON-parsed when it could be). */
export const bodyFromError = (error: unknown): RawBody => {
  if (error === undefined || error === null) return { kind: "empty" }
  if (typeof error === "string") return bodyFromText(error)
  return { kind: "json", value: error }
}

/**
 * Parses `Retry-After`: delta-seconds or an HTTP date (relative to `now`, the service's current time
 * when known). Negative or unreadable values give `undefined`.
 */
const parseRetryAfter = (value: string | null, now: number): number | undefined => {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  if (!Number.isFinite(at)) return undefined
  return Math.max(0, at - now)
}

const EXCERPT_MAX = 80
const MESSAGE_MAX = 200

// Beyond the spec's shape (three digits and a message), any `AUTH_ERR_*` code is still a refusal,
// kept verbatim as an unknown code, and a missing message does not hide the code — but not under a
// 5xx or 429, where such a body is more likely a gateway's than the auth service's verdict. The code
// is bounded to word characters, so it is safe to print.
const looseAuthErrorCode = /^AUTH_ERR_\w{1,16}$/
const refusalOf = (value: unknown, status: number): { readonly code: string; readonly message: string } | undefined => {
  if (isAuthErrorBody(value)) return { code: value.errorCode, message: value.errorMessage }
  if (status >= 500 || status === 429) return undefined
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined
  const { errorCode, errorMessage } = value as Record<string, unknown>
  if (typeof errorCode !== "string" || !looseAuthErrorCode.test(errorCode)) return undefined
  if (errorMessage !== undefined && errorMessage !== null && typeof errorMessage !== "string") return undefined
  return { code: errorCode, message: errorMessage ?? "" }
}

const excerptOf = (body: RawBody, secrets: ReadonlyArray<string>): string => {
  switch (body.kind) {
    case "empty":
      return ""
    case "text":
      return scrub(body.text, secrets, EXCERPT_MAX)
    case "json": {
      let text: string
      try {
        text = JSON.stringify(body.value) ?? ""
      } catch {
        text = "[unserialisable]"
      }
      return scrub(text, secrets, EXCERPT_MAX)
    }
  }
}

const shapeProblem = (value: unknown): string => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "JSON that is not an object"
  const record = value as Record<string, unknown>
  if ("errorCode" in record) return "an errorCode that is not an AUTH_ERR_ code"
  if ("responseCode" in record && record.responseCode !== "00")
    return "a responseCode other than 00 without an errorCode"
  if ("token" in record) return "a token body with missing or malformed fields"
  return "JSON that is neither a token nor an AUTH_ERR"
}

/**
 * Classifies an answer: a token body, a refusal, or a transport failure. `now` is the service's
 * current time when known (for an HTTP-date `Retry-After`), else the local time.
 */
export const classify = (
  operation: Operation,
  answer: RawAnswer,
  secrets: ReadonlyArray<string>,
  now: number
): Result.Result<TokenResponse, AuthRejection | RateLimited | Unavailable | MalformedResponse> => {
  const { body, status } = answer
  // A redirect is never followed (keys and tokens must not travel to another origin) and never
  // trusted, whatever its body says. Status 0 is a browser's opaque answer to `redirect: "manual"`.
  if (status === 0 || (status >= 300 && status < 400)) {
    return Result.fail(
      new MalformedResponse({
        operation,
        status,
        reason: status === 0 ? "a redirect, not followed" : `a redirect (HTTP ${status}), not followed`,
        excerpt: excerptOf(body, secrets)
      })
    )
  }
  if (body.kind === "json") {
    const refusal = refusalOf(body.value, status)
    if (refusal !== undefined) {
      return Result.fail(makeRejection(refusal.code, scrub(refusal.message, secrets, MESSAGE_MAX), status))
    }
    const decoded = decodeTokenResponse(body.value)
    if (decoded !== undefined) return Result.succeed(decoded)
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, now)
    return Result.fail(new RateLimited(retryAfterMs === undefined ? { operation } : { operation, retryAfterMs }))
  }
  if (status >= 500 || status === 408) {
    return Result.fail(new Unavailable({ operation, status, reason: `HTTP ${status}` }))
  }
  const reason =
    body.kind === "empty" ? "empty body" : body.kind === "text" ? "a body that is not JSON" : shapeProblem(body.value)
  return Result.fail(new MalformedResponse({ operation, status, reason, excerpt: excerptOf(body, secrets) }))
}

/**
 * The failure of a send that produced no answer: a body over the limit is a `MalformedResponse`
 * (not retried), anything else (reset, refused, DNS, abort) is `Unavailable`.
 */
export const sendFailure = (operation: Operation, cause: unknown): MalformedResponse | Unavailable =>
  isResponseBodyTooLarge(cause)
    ? new MalformedResponse({
        operation,
        status: cause.status,
        reason: `a body larger than ${Math.round(cause.limitBytes / 1024)} KiB`,
        excerpt: ""
      })
    : new Unavailable({ operation, reason: networkReason(cause) })

const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,39}$/

/** A safe reason for a rejected `fetch`: the system error code when there is one. */
const networkReason = (cause: unknown): string => {
  const codeOf = (u: unknown): string | undefined => {
    if (typeof u !== "object" || u === null) return undefined
    const code = (u as { code?: unknown }).code
    return typeof code === "string" && SAFE_CODE.test(code) ? code : undefined
  }
  const nested = typeof cause === "object" && cause !== null ? (cause as { cause?: unknown }).cause : undefined
  return codeOf(nested) ?? codeOf(cause) ?? "network error"
}

/**
 * Reads a `fetch` response with the body bounded by `limitBytes`: resolves to an equivalent
 * `Response` whose body is fully buffered, or rejects with {@link ResponseBodyTooLarge} after
 * cancelling the body (which aborts the underlying request). Opaque responses and responses
 * without a body are returned as they are.

 */
export const boundedResponse = (response: Response, limitBytes = maxResponseBodyBytes): Promise<Response> => {
  const body = response.body
  if (body === null || response.type === "opaqueredirect" || response.type === "opaque") {
    return Promise.resolve(response)
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limitBytes) {
    return body.cancel().then(
      () => Promise.reject(new ResponseBodyTooLarge(response.status, limitBytes)),
      () => Promise.reject(new ResponseBodyTooLarge(response.status, limitBytes))
    )
  }
  const reader = body.getReader()
  const chunks: Array<Uint8Array> = []
  let total = 0
  const next = (): Promise<Response> =>
    reader.read().then((step): Promise<Response> => {
      if (step.done) {
        const bytes = new Uint8Array(total)
        let at = 0
        for (const chunk of chunks) {
          bytes.set(chunk, at)
          at += chunk.byteLength
        }
        return Promise.resolve(
          new Response(total === 0 ? null : bytes, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers
          })
        )
      }
      total += step.value.byteLength
      if (total > limitBytes) {
        const tooLarge = new ResponseBodyTooLarge(response.status, limitBytes)
        return reader.cancel().then(
          () => Promise.reject(tooLarge),
          () => Promise.reject(tooLarge)
        )
      }
      chunks.push(step.value)
      return next()
    })
  return next()
}
