/**
 * The wire under `AuthApi`, for runtimes where `fetch` is the wrong tool. By default `AuthApi`
 * sends through the generated `openapi-fetch` client and `fetch`; a `Transport` replaces both with
 * one plain function: a POST with headers and no body in, a status, a text body and two headers
 * out. `@ipos/auth-core/node` offers `nodeTransport` over `node:http`, which spares a CLI the
 * start-up cost of Node 20's undici (its `Request`, `Headers` and `Response` classes included).
 *
 * @since 0.1.0
 */

/**
 * One request of the auth API: always a `POST` without a body; everything travels in headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportRequest {
  /** Absolute URL, e.g. `https://auth.ipospays.tech/v1/authenticate-token`. */
  readonly url: string
  /** Header names as the spec spells them (`apiKey`, `secretKey`, …), values already strings. */
  readonly headers: Readonly<Record<string, string>>
  /** Aborted on timeout or interruption: the transport must give up the request then. */
  readonly signal: AbortSignal
}

/**
 * What the auth API answered.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportResponse {
  readonly status: number
  /** The body as text (possibly empty, possibly not JSON). */
  readonly body: string
  /** The `Date` header, used to learn the service's clock offset. */
  readonly date: string | null
  /** The `Retry-After` header, honoured by the retry policy. */
  readonly retryAfter: string | null
}

/**
 * Sends one request. Rejects on network failure or abort (the rejection becomes `Unavailable`), or
 * with {@link ResponseBodyTooLarge} when the body exceeds {@link maxResponseBodyBytes} (it becomes
 * a `MalformedResponse`). Must not follow redirects: a 3xx is returned as it is (the core refuses
 * it as a `MalformedResponse`), so that keys and tokens never travel to another origin.
 *
 * @example
 * ```ts
 * import type { Transport } from "@ipos/auth-core"
 * const viaFetch: Transport = async ({ url, headers, signal }) => {
 *   const res = await fetch(url, { method: "POST", headers, signal })
 *   return { status: res.status, body: await res.text(), date: res.headers.get("date"), retryAfter: res.headers.get("retry-after") }
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

/**
 * The largest response body the core reads: 64 KiB. A token answer is well under 2 KiB; anything
 * larger is not an answer of the auth API, and reading it without a bound would let a broken or
 * hostile gateway exhaust memory.
 *
 * @example
 * ```ts
 * import { maxResponseBodyBytes } from "@ipos/auth-core"
 * maxResponseBodyBytes // 65536
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const maxResponseBodyBytes = 64 * 1024

/**
 * The rejection of a {@link Transport} (or of the core's `fetch` path) when a response body is
 * larger than {@link maxResponseBodyBytes}: the request was aborted, the body not read further.
 * `AuthApi` turns it into a non-retryable `MalformedResponse` ("a body larger than 64 KiB").
 *
 * @example
 * ```ts
 * import { maxResponseBodyBytes, ResponseBodyTooLarge, type Transport } from "@ipos/auth-core"
 * const guarded = (send: Transport): Transport => (request) =>
 *   send(request).then((answer) =>
 *     answer.body.length > maxResponseBodyBytes
 *       ? Promise.reject(new ResponseBodyTooLarge(answer.status, maxResponseBodyBytes))
 *       : answer
 *   )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ResponseBodyTooLarge extends Error {
  /** Tells this rejection apart from a network error (checked by tag, not `instanceof`). */
  readonly _tag = "ResponseBodyTooLarge" as const
  constructor(
    /** The HTTP status of the answer whose body was too large. */
    readonly status: number,
    /** The limit that was exceeded, in bytes. */
    readonly limitBytes: number
  ) {
    super(`response body larger than ${limitBytes} bytes`)
    this.name = "ResponseBodyTooLarge"
  }
}

/**
 * Whether a rejection is a {@link ResponseBodyTooLarge} (from any copy of this module).
 *
 * @example
 * ```ts
 * import { isResponseBodyTooLarge } from "@ipos/auth-core"
 * isResponseBodyTooLarge(new Error("reset")) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isResponseBodyTooLarge = (u: unknown): u is ResponseBodyTooLarge =>
  typeof u === "object" &&
  u !== null &&
  (u as { readonly _tag?: unknown })._tag === "ResponseBodyTooLarge" &&
  typeof (u as { readonly status?: unknown }).status === "number"
