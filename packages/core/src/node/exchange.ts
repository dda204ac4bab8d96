/// <reference types="node" />
/**
 * One HTTP exchange over `node:http` / `node:https`, the shared ground of `nodeFetch` and
 * `nodeTransport`: method, headers, optional body and `AbortSignal` in; status, raw headers and
 * the body's bytes out. No redirects, no compression, on purpose. The body is bounded (64 KiB by
 * default): a larger one aborts the request and rejects with `ResponseBodyTooLarge`.
 *
 * @since 0.1.0
 */
import * as http from "node:http"
import { maxResponseBodyBytes, ResponseBodyTooLarge } from "../Transport.js"

/** What to send. */
export interface ExchangeRequest {
  readonly url: URL
  readonly method: string
  /** Lower- or mixed-case names; `content-length` is set here. */
  readonly headers: Record<string, string>
  readonly body: Uint8Array | string | undefined
  readonly signal: AbortSignal | undefined
  /** The largest body read, in bytes (default `maxResponseBodyBytes`, 64 KiB). */
  readonly maxBodyBytes?: number | undefined
}

/** What came back. */
export interface ExchangeResponse {
  readonly status: number
  readonly statusText: string
  /** `[name, value, name, value, …]` as received. */
  readonly rawHeaders: ReadonlyArray<string>
  readonly body: Buffer
}

/** The reason of an aborted signal, or a DOM-style `AbortError`. */
const abortError = (signal: AbortSignal): unknown =>
  signal.reason ?? Object.assign(new Error("This operation was aborted"), { name: "AbortError", code: "ABORT_ERR" })

/**
 * Sends one request and reads the whole answer, up to `maxBodyBytes`: past it (announced by
 * `Content-Length` or counted while reading) the request is destroyed and the promise rejects with
 * `ResponseBodyTooLarge`.
 *
 * @example
 * ```ts
 * const res = await exchange({ url: new URL("http://127.0.0.1:4010/x"), method: "POST", headers: {}, body: undefined, signal: undefined })
 * res.status // 200
 * ```
 */
export const exchange = (request: ExchangeRequest): Promise<ExchangeResponse> => {
  const { protocol } = request.url
  if (protocol === "http:") return exchangeWith(http.request, request)
  // TLS is loaded only when needed: a CLI talking to a local sandbox never pays for it.
  if (protocol === "https:") return import("node:https").then((https) => exchangeWith(https.request, request))
  return Promise.reject(new TypeError(`only http: and https: are supported, not ${protocol}`))
}

const exchangeWith = (
  send: typeof http.request,
  { url, method, headers, body, signal, maxBodyBytes = maxResponseBodyBytes }: ExchangeRequest
): Promise<ExchangeResponse> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal))
      return
    }
    const payload = body === undefined ? undefined : Buffer.from(body)
    if (payload !== undefined || (method !== "GET" && method !== "HEAD")) {
      headers["content-length"] = String(payload?.byteLength ?? 0)
    }
    const options: http.RequestOptions = { method, headers, ...(signal === undefined ? {} : { signal }) }
    const request = send(url, options, (response) => {
      const status = response.statusCode ?? 0
      const tooLarge = () => {
        // Reject first: destroying the request makes the response emit its own errors.
        reject(new ResponseBodyTooLarge(status, maxBodyBytes))
        response.removeAllListeners("data")
        request.destroy()
      }
      const declared = Number(response.headers["content-length"] ?? Number.NaN)
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        tooLarge()
        return
      }
      const chunks: Array<Buffer> = []
      let received = 0
      response.on("data", (chunk: Buffer) => {
        received += chunk.byteLength
        if (received > maxBodyBytes) tooLarge()
        else chunks.push(chunk)
      })
      response.on("error", reject)
      response.on("aborted", () => reject(signal?.aborted ? abortError(signal) : new Error("response aborted")))
      response.on("end", () =>
        resolve({
          status,
          statusText: response.statusMessage ?? "",
          rawHeaders: response.rawHeaders,
          body: Buffer.concat(chunks)
        })
      )
    })
    request.on("error", (error) => reject(signal?.aborted ? abortError(signal) : error))
    request.end(payload)
  })
