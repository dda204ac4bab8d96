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
 * Sends one request. Rejects on network failure or abort (the rejection becomes `Unavailable`).
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
