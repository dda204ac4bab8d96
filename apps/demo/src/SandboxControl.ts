/**
 * The sandbox's control API (`/_sandbox/...`) as the fault buttons use it. Writes are always JSON
 * with `Content-Type: application/json` (a hardened sandbox refuses anything else); answers are
 * checked with Schema before the page shows them. Nothing here ever sends a key or a token.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

/** The active faults, as far as the page shows them. */
export const FaultsSnapshot = Schema.Struct({
  outage: Schema.NullOr(Schema.Struct({ endsAt: Schema.String })),
  failNext: Schema.NullOr(Schema.Struct({ count: Schema.Number })),
  tokenLifetimeSeconds: Schema.NullOr(Schema.Number)
})
/** @see FaultsSnapshot */
export type FaultsSnapshot = typeof FaultsSnapshot.Type

/** The sandbox's counters of auth requests it received. */
const SandboxCounters = Schema.Struct({
  requests: Schema.Struct({ "/v1/authenticate-token": Schema.Number, "/v1/refresh-token": Schema.Number })
})

const Revoked = Schema.Struct({ revoked: Schema.Number })

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
  schema: Schema.Decoder<A>
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
    const decoded = Schema.decodeUnknownResult(schema)(body)
    return Result.isSuccess(decoded)
      ? { ok: true, value: decoded.success }
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
  faults: () => call(`${baseUrl}/_sandbox/faults`, { method: "GET" }, FaultsSnapshot),
  setFaults: (patch: FaultPatch) => call(`${baseUrl}/_sandbox/faults`, { method: "POST", body: patch }, FaultsSnapshot),
  clearFaults: () => call(`${baseUrl}/_sandbox/faults`, { method: "DELETE" }, FaultsSnapshot),
  /** Revokes every generation of one token (its `uniqueId` claim). */
  revoke: (uniqueId: string) =>
    call(`${baseUrl}/_sandbox/revoke`, { method: "POST", body: { uniqueId } }, Revoked).then((o) =>
      o.ok ? { ok: true as const, value: o.value.revoked } : o
    ),
  counters: () => call(`${baseUrl}/_sandbox/counters`, { method: "GET" }, SandboxCounters)
})
