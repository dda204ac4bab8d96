/**
 * The sandbox's control API (`/_sandbox/...`) as the fault buttons use it. Writes are always JSON
 * with `Content-Type: application/json` (a hardened sandbox refuses anything else); answers are
 * checked (by hand-written decoders) before the page shows them. Nothing here ever sends a key or a token.
 */
import { isRecord } from "./shape.js"

/** The active faults, as far as the page shows them. */
export interface FaultsSnapshot {
  readonly outage: { readonly endsAt: string } | null
  readonly failNext: { readonly count: number } | null
  readonly tokenLifetimeSeconds: number | null
}

/** The sandbox's counters of auth requests it received. */
export interface SandboxCounters {
  readonly requests: { readonly "/v1/authenticate-token": number; readonly "/v1/refresh-token": number }
}

/** Reads the faults snapshot (each field present, `null` when that fault is off). */
export const decodeFaultsSnapshot = (body: unknown): FaultsSnapshot | undefined => {
  if (!isRecord(body)) return undefined
  const { outage, failNext, tokenLifetimeSeconds } = body
  const endsAt = isRecord(outage) ? outage.endsAt : undefined
  const count = isRecord(failNext) ? failNext.count : undefined
  if (outage !== null && typeof endsAt !== "string") return undefined
  if (failNext !== null && typeof count !== "number") return undefined
  if (tokenLifetimeSeconds !== null && typeof tokenLifetimeSeconds !== "number") return undefined
  return {
    outage: typeof endsAt === "string" ? { endsAt } : null,
    failNext: typeof count === "number" ? { count } : null,
    tokenLifetimeSeconds
  }
}

/** Reads the counters. */
export const decodeSandboxCounters = (body: unknown): SandboxCounters | undefined => {
  if (!isRecord(body) || !isRecord(body.requests)) return undefined
  const authenticate = body.requests["/v1/authenticate-token"]
  const refresh = body.requests["/v1/refresh-token"]
  return typeof authenticate === "number" && typeof refresh === "number"
    ? { requests: { "/v1/authenticate-token": authenticate, "/v1/refresh-token": refresh } }
    : undefined
}

/** Reads a revocation's answer: how many token generations were revoked. */
const decodeRevoked = (body: unknown): number | undefined =>
  isRecord(body) && typeof body.revoked === "number" ? body.revoked : undefined

/** A control call's outcome: the checked answer, or one line saying what went wrong. */
export type Outcome<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly message: string }

/** A fault change, as `POST /_sandbox/faults` takes it. */
export type FaultPatch =
  | { readonly outage: { readonly seconds: number } }
  | { readonly failNext: { readonly count: number } }
  | { readonly tokenLifetimeSeconds: number | null }

const timeoutMs = 5000

const call = async <A>(
  url: string,
  init: { readonly method: "GET" | "POST" | "DELETE"; readonly body?: unknown },
  decode: (body: unknown) => A | undefined
): Promise<Outcome<A>> => {
  try {
    const response = await fetch(url, {
      method: init.method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(init.method === "GET"
        ? {}
        : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(init.body ?? {}) })
    })
    const body: unknown = await response.json().catch(() => undefined)
    if (!response.ok) {
      const message =
        typeof body === "object" && body !== null && "message" in body && typeof body.message === "string"
          ? body.message
          : `HTTP ${response.status}`
      return { ok: false, message: `the sandbox refused: ${message}` }
    }
    const decoded = decode(body)
    return decoded !== undefined
      ? { ok: true, value: decoded }
      : { ok: false, message: "the sandbox answered in an unexpected shape" }
  } catch {
    return { ok: false, message: "the sandbox did not answer (is it running, and does it allow this page's origin?)" }
  }
}

/**
 * The control API of one sandbox.
 *
 * @example
 * ```ts
 * const control = sandboxControl("http://127.0.0.1:4010")
 * await control.setFaults({ outage: { seconds: 10 } })
 * ```
 */
export const sandboxControl = (baseUrl: string) => ({
  faults: () => call(`${baseUrl}/_sandbox/faults`, { method: "GET" }, decodeFaultsSnapshot),
  setFaults: (patch: FaultPatch) =>
    call(`${baseUrl}/_sandbox/faults`, { method: "POST", body: patch }, decodeFaultsSnapshot),
  clearFaults: () => call(`${baseUrl}/_sandbox/faults`, { method: "DELETE" }, decodeFaultsSnapshot),
  /** Revokes every generation of one token (its `uniqueId` claim). */
  revoke: (uniqueId: string) =>
    call(`${baseUrl}/_sandbox/revoke`, { method: "POST", body: { uniqueId } }, decodeRevoked),
  counters: () => call(`${baseUrl}/_sandbox/counters`, { method: "GET" }, decodeSandboxCounters)
})
