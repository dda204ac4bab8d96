/**
 * A scripted stand-in for iPOSpays behind an injected `fetch`: it mints JWT-shaped tokens (fake
 * signatures) on its own clock, and plays scripted faults (AUTH_ERR bodies under any status, HTML
 * 503, empty 200, resets, 429 with Retry-After, answers that never come). Nothing leaves the process.
 */

export type Endpoint = "authenticate" | "refresh"

/** What to do with one request. */
export type Behaviour =
  | { readonly kind: "token"; readonly lifetimeSeconds?: number; readonly iatOffsetSeconds?: number }
  | { readonly kind: "authError"; readonly code: string; readonly message: string; readonly status?: number }
  | {
      readonly kind: "raw"
      readonly status: number
      readonly body: string
      readonly headers?: Readonly<Record<string, string>>
    }
  | { readonly kind: "reset" }
  | { readonly kind: "refused" }
  | { readonly kind: "hang" }
  | { readonly kind: "rateLimited"; readonly retryAfter?: string }
  | { readonly kind: "wait"; readonly until: Promise<void>; readonly next: Behaviour }

export interface RecordedRequest {
  readonly endpoint: Endpoint
  readonly headers: Readonly<Record<string, string>>
  readonly at: number
}

export interface FakeAuthServerOptions {
  /** The service's current time in epoch ms (default `Date.now`). */
  readonly now?: () => number
  /** Lifetime of minted tokens in seconds (default 3600). */
  readonly lifetimeSeconds?: number
  /** Send a `Date` header (default true). */
  readonly dateHeader?: boolean
  /** Delay answers by this many ms of real time (benchmarks only; tests keep 0). */
  readonly latencyMs?: number
}

const b64url = (value: string): string =>
  Buffer.from(value, "utf8").toString("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")

let serial = 0
const randomSignature = (): string => {
  serial++
  const bytes = new Uint8Array(32)
  crypto.getRandomValues(bytes)
  return `${Buffer.from(bytes).toString("base64url")}${serial.toString(36)}`
}

/** Builds a JWT-shaped token with the given claims (fake signature). */
export const makeJwt = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256" }) =>
  `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.${randomSignature()}`

/** A promise and the function that resolves it. */
export const gate = (): { readonly until: Promise<void>; readonly open: () => void } => {
  let open = () => {}
  const until = new Promise<void>((resolve) => {
    open = resolve
  })
  return { until, open }
}

export class FakeAuthServer {
  readonly requests: Array<RecordedRequest> = []
  readonly issued: Array<{ readonly token: string; readonly exp: number; readonly iat: number }> = []
  private readonly script: Record<Endpoint, Array<Behaviour>> = { authenticate: [], refresh: [] }
  private fallback: Record<Endpoint, Behaviour> = { authenticate: { kind: "token" }, refresh: { kind: "token" } }
  private readonly now: () => number
  private readonly lifetimeSeconds: number
  private readonly dateHeader: boolean
  private readonly latencyMs: number

  constructor(options: FakeAuthServerOptions = {}) {
    this.now = options.now ?? Date.now
    this.lifetimeSeconds = options.lifetimeSeconds ?? 3600
    this.dateHeader = options.dateHeader ?? true
    this.latencyMs = options.latencyMs ?? 0
  }

  /** Queues behaviours for the next requests to an endpoint (then the fallback applies). */
  enqueue(endpoint: Endpoint, ...behaviours: Array<Behaviour>): this {
    this.script[endpoint].push(...behaviours)
    return this
  }

  /** Forgets the queued behaviours. */
  clear(): this {
    this.script.authenticate.length = 0
    this.script.refresh.length = 0
    return this
  }

  /** Sets what happens once the queue is empty. */
  otherwise(endpoint: Endpoint, behaviour: Behaviour): this {
    this.fallback[endpoint] = behaviour
    return this
  }

  count(endpoint?: Endpoint): number {
    return endpoint === undefined ? this.requests.length : this.requests.filter((r) => r.endpoint === endpoint).length
  }

  /** Whether a token the server issued is expired at the server's current time. */
  isExpired(token: string): boolean {
    const found = this.issued.find((t) => t.token === token)
    if (found === undefined) return true
    return this.now() >= found.exp * 1000
  }

  readonly fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init)
    const url = new URL(request.url)
    const endpoint: Endpoint = url.pathname.endsWith("/v1/refresh-token") ? "refresh" : "authenticate"
    const headers: Record<string, string> = {}
    request.headers.forEach((value, key) => {
      headers[key] = value
    })
    this.requests.push({ endpoint, headers, at: this.now() })
    const behaviour = this.script[endpoint].shift() ?? this.fallback[endpoint]
    const answer = () => this.answer(behaviour, request.signal)
    if (this.latencyMs > 0) {
      return new Promise((resolve, reject) => setTimeout(() => answer().then(resolve, reject), this.latencyMs))
    }
    return answer()
  }

  private baseHeaders(): Record<string, string> {
    const headers: Record<string, string> = { "content-type": "application/json" }
    if (this.dateHeader) headers.date = new Date(Math.floor(this.now() / 1000) * 1000).toUTCString()
    return headers
  }

  private answer(behaviour: Behaviour, signal: AbortSignal): Promise<Response> {
    switch (behaviour.kind) {
      case "token": {
        const now = this.now()
        const iat = Math.floor(now / 1000) + (behaviour.iatOffsetSeconds ?? 0)
        const exp = iat + (behaviour.lifetimeSeconds ?? this.lifetimeSeconds)
        const token = makeJwt({ scope: "paymentTokenize", uniqueId: "00000000-fake-4000-8000-000000000000", iat, exp })
        this.issued.push({ token, iat, exp })
        const body = { responseCode: "00", responseMessage: "Success", createdDt: String(Math.floor(now)), token }
        return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: this.baseHeaders() }))
      }
      case "authError":
        return Promise.resolve(
          new Response(JSON.stringify({ errorCode: behaviour.code, errorMessage: behaviour.message }), {
            status: behaviour.status ?? 200,
            headers: this.baseHeaders()
          })
        )
      case "raw":
        return Promise.resolve(
          new Response(behaviour.status === 204 ? null : behaviour.body, {
            status: behaviour.status,
            headers: { ...this.baseHeaders(), ...behaviour.headers }
          })
        )
      case "rateLimited":
        return Promise.resolve(
          new Response("Too Many Requests", {
            status: 429,
            headers: {
              ...this.baseHeaders(),
              "content-type": "text/plain",
              ...(behaviour.retryAfter === undefined ? {} : { "retry-after": behaviour.retryAfter })
            }
          })
        )
      case "reset":
        return Promise.reject(
          Object.assign(new TypeError("fetch failed"), {
            cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
          })
        )
      case "refused":
        return Promise.reject(
          Object.assign(new TypeError("fetch failed"), {
            cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
          })
        )
      case "wait":
        return behaviour.until.then(() => this.answer(behaviour.next, signal))
      case "hang":
        return new Promise((_, reject) => {
          const abort = () => reject(Object.assign(new Error("This operation was aborted"), { name: "AbortError" }))
          if (signal.aborted) abort()
          else signal.addEventListener("abort", abort, { once: true })
        })
    }
  }
}
