/**
 * Request counters, readable over the control API so tests can assert call counts: requests per
 * endpoint, `AUTH_ERR` bodies per code, responses per HTTP status, injected faults per kind.
 * The control API itself (`/_sandbox/*`) is not counted, so reading the counters never changes them.
 */
import type { FaultKind } from "./Faults.js"

/** The endpoints counted; `other` is any path that is none of them (answered 404). */
export type Endpoint = "/v1/authenticate-token" | "/v1/refresh-token" | "/api" | "/.well-known/jwks.json" | "other"

/**
 * The counted endpoints, in a stable order.
 *
 * @example
 * ```ts
 * endpoints[0] // "/v1/authenticate-token"
 * ```
 */
export const endpoints: ReadonlyArray<Endpoint> = [
  "/v1/authenticate-token",
  "/v1/refresh-token",
  "/api",
  "/.well-known/jwks.json",
  "other"
]

/** The counters at one moment. `errors` and `statuses` list only what occurred. */
export interface CountersSnapshot {
  /** Requests per endpoint, CORS preflights excluded; every `/api/...` path counts as `/api`. */
  readonly requests: Readonly<Record<Endpoint, number>>
  /** `AuthError` bodies sent, per `errorCode` (documented or injected). */
  readonly errors: Readonly<Record<string, number>>
  /** Responses sent per HTTP status (as a string key); connection resets have no status. */
  readonly statuses: Readonly<Record<string, number>>
  /** Requests a fault answered or delayed, per kind (a delayed request may also count under another kind). */
  readonly faults: Readonly<Record<FaultKind, number>>
  /** CORS preflight requests answered. */
  readonly preflights: number
}

const faultKinds: ReadonlyArray<FaultKind> = ["outage", "failNext", "rateLimit", "authError", "malformed", "delay"]

const zeros = <K extends string>(keys: ReadonlyArray<K>): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>

const bump = (table: Record<string, number>, key: string): void => {
  table[key] = (table[key] ?? 0) + 1
}

/**
 * The mutable counters of one sandbox.
 *
 * @example
 * ```ts
 * const counters = new Counters()
 * counters.request("/v1/refresh-token")
 * counters.snapshot().requests["/v1/refresh-token"] // 1
 * ```
 */
export class Counters {
  private requests = zeros(endpoints)
  private errors: Record<string, number> = {}
  private statuses: Record<string, number> = {}
  private faults = zeros(faultKinds)
  private preflights = 0

  /** Counts a request to an endpoint. */
  request(endpoint: Endpoint): void {
    bump(this.requests, endpoint)
  }

  /** Counts an `AuthError` body sent. */
  error(code: string): void {
    bump(this.errors, code)
  }

  /** Counts a response sent. */
  status(status: number): void {
    bump(this.statuses, String(status))
  }

  /** Counts a request a fault answered or delayed. */
  fault(kind: FaultKind): void {
    bump(this.faults, kind)
  }

  /** Counts a CORS preflight. */
  preflight(): void {
    this.preflights += 1
  }

  /** A copy of the counters, safe to keep. */
  snapshot(): CountersSnapshot {
    return {
      requests: { ...this.requests },
      errors: { ...this.errors },
      statuses: { ...this.statuses },
      faults: { ...this.faults },
      preflights: this.preflights
    }
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.requests = zeros(endpoints)
    this.errors = {}
    this.statuses = {}
    this.faults = zeros(faultKinds)
    this.preflights = 0
  }
}
