/// <reference types="node" />
/**
 * A minimal `fetch` over `node:http` / `node:https`, for CLIs that must not pay the start-up cost of
 * Node 20's undici-based `fetch` on their first request (about 150–250 ms). It supports what the
 * auth API needs: a method, headers, a string (or bytes) body, an `AbortSignal`, and it answers
 * with a standard `Response` (status, headers, `text()`, `json()`).
 *
 * Not supported, on purpose: redirects (a 3xx is returned as it is), compressed bodies (no
 * `Accept-Encoding` is sent), streaming request bodies, response bodies over 64 KiB (the request
 * is aborted and the promise rejects with `ResponseBodyTooLarge`).
 *
 * @since 0.1.0
 */
import { exchange } from "./exchange.js"

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

interface Prepared {
  readonly url: URL
  readonly method: string
  readonly headers: Record<string, string>
  readonly body: Uint8Array | string | undefined
  readonly signal: AbortSignal | undefined
}

const isRequest = (input: unknown): input is Request =>
  typeof input === "object" &&
  input !== null &&
  !(input instanceof URL) &&
  typeof (input as Request).url === "string" &&
  typeof (input as Request).method === "string"

const headersToRecord = (headers: HeadersInit | undefined, into: Record<string, string>): void => {
  if (headers === undefined) return
  if (typeof (headers as Headers).forEach === "function" && !Array.isArray(headers)) {
    ;(headers as Headers).forEach((value, key) => {
      into[key.toLowerCase()] = value
    })
    return
  }
  const entries = Array.isArray(headers) ? headers : Object.entries(headers)
  for (const [key, value] of entries) {
    if (key !== undefined && value !== undefined) into[key.toLowerCase()] = value
  }
}

const bodyOf = async (body: BodyInit | null | undefined): Promise<Uint8Array | string | undefined> => {
  if (body === null || body === undefined) return undefined
  if (typeof body === "string") return body
  if (body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (body instanceof URLSearchParams) return body.toString()
  return new Uint8Array(await new Response(body).arrayBuffer())
}

const prepare = async (input: RequestInfo | URL, init: RequestInit | undefined): Promise<Prepared> => {
  const headers: Record<string, string> = {}
  let url: URL
  let method = "GET"
  let body: Uint8Array | string | undefined
  let signal: AbortSignal | undefined
  if (isRequest(input)) {
    url = new URL(input.url)
    method = input.method
    headersToRecord(input.headers, headers)
    if (input.body !== null) body = new Uint8Array(await input.arrayBuffer())
    signal = input.signal
  } else {
    url = new URL(String(input))
  }
  if (init !== undefined) {
    if (init.method !== undefined) method = init.method
    if (init.headers !== undefined) headersToRecord(init.headers, headers)
    if (init.body !== undefined) body = await bodyOf(init.body)
    if (init.signal !== undefined && init.signal !== null) signal = init.signal
  }
  return { url, method: method.toUpperCase(), headers, body, signal }
}

/**
 * A `fetch`-compatible function over `node:http`/`node:https`.
 *
 * @example
 * ```ts
 * import { nodeFetch } from "@ipos/auth-core/node"
 * const res = await nodeFetch("http://127.0.0.1:4010/v1/authenticate-token", {
 *   method: "POST",
 *   headers: { apiKey, secretKey, scope: "PaymentTokenization" },
 *   signal: AbortSignal.timeout(5000)
 * })
 * console.log(res.status, await res.json())
 * ```
 *
 * @since 0.1.0
 * @category transport
 */
export const nodeFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
  prepare(input, init)
    .then((prepared) => exchange(prepared).then((res) => ({ res, method: prepared.method })))
    .then(({ res, method }) => {
      if (res.status < 200 || res.status > 599) {
        return Promise.reject(new TypeError(`nodeFetch: unsupported status ${res.status}`))
      }
      const headers = new Headers()
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        const key = res.rawHeaders[i]
        const value = res.rawHeaders[i + 1]
        if (key !== undefined && value !== undefined) headers.append(key, value)
      }
      const nullBody = NULL_BODY_STATUSES.has(res.status) || method === "HEAD"
      return Promise.resolve(
        new Response(nullBody ? null : new Uint8Array(res.body), {
          status: res.status,
          statusText: res.statusText,
          headers
        })
      )
    })
