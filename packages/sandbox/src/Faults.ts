/**
 * Fault injection for the two auth endpoints: what can be switched on (an outage window, failing
 * the next N requests, a fixed delay, 429s, malformed bodies, an injected `AUTH_ERR_xxx`, a token
 * lifetime override), how a request consumes it, the validation shared by options, environment
 * variables and the control API, and a one-line-per-fault description for banners.
 */
import { authErrorMessages, isAuthErrorCode } from "./AuthErrors.js"
import { SandboxConfigError } from "./SandboxConfigError.js"

/** How a malformed answer is malformed: JSON cut in half, an empty body, or an HTML page — all under `200`. */
export type MalformedKind = "truncated-json" | "empty" | "html"

/** A fault that can answer a request, as counted in `CountersSnapshot.faults`. */
export type FaultKind = "outage" | "failNext" | "rateLimit" | "authError" | "malformed" | "delay"

/**
 * A change to the active faults: each key present replaces that fault, `null` switches it off,
 * absent keys are left as they are. Counts default to 1.
 */
export interface FaultsPatch {
  /** Answer every auth request with an HTML `503` page for this many seconds from now. */
  readonly outage?: { readonly seconds: number } | null
  /** Fail the next `count` auth requests with `status` (400…599, default 502, an HTML page) or, with `reset: true`, by resetting the connection. */
  readonly failNext?: { readonly count?: number; readonly status?: number; readonly reset?: boolean } | null
  /** Wait this long (0…60 000 ms) before answering every auth request; 0 or `null` switches it off. */
  readonly delayMs?: number | null
  /** Answer the next `count` auth requests with `429` and `Retry-After: retryAfterSeconds` (default 1). */
  readonly rateLimit?: { readonly count?: number; readonly retryAfterSeconds?: number } | null
  /** Answer the next `count` auth requests with a malformed `200` (default `truncated-json`). */
  readonly malformed?: { readonly count?: number; readonly kind?: MalformedKind } | null
  /**
   * Refuse the next `count` auth requests with this code (default `AUTH_ERR_013`, undocumented) and
   * message (default: the documented message for a documented code, otherwise a sandbox message).
   */
  readonly authError?: {
    readonly count?: number
    readonly errorCode?: string
    readonly errorMessage?: string
  } | null
  /** Issue tokens that live this many seconds (1…86 400) instead of the requested minutes. */
  readonly tokenLifetimeSeconds?: number | null
}

/** The active faults, as `GET /_sandbox/faults` returns them. Counts are what remains. */
export interface FaultsSnapshot {
  readonly outage: { readonly endsAt: string } | null
  readonly failNext: { readonly count: number; readonly status: number; readonly reset: boolean } | null
  readonly delayMs: number
  readonly rateLimit: { readonly count: number; readonly retryAfterSeconds: number } | null
  readonly malformed: { readonly count: number; readonly kind: MalformedKind } | null
  readonly authError: { readonly count: number; readonly errorCode: string; readonly errorMessage: string } | null
  readonly tokenLifetimeSeconds: number | null
}

/** What the faults decided for one auth request, if anything. */
export type FaultAction =
  | { readonly _tag: "Outage" }
  | { readonly _tag: "Fail"; readonly status: number }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "RateLimit"; readonly retryAfterSeconds: number }
  | { readonly _tag: "AuthError"; readonly errorCode: string; readonly errorMessage: string }
  | { readonly _tag: "Malformed"; readonly kind: MalformedKind }

/** The message of an injected undocumented code when none is given. */
export const undocumentedErrorMessage = "Undocumented error injected by the sandbox."

const malformedKinds: ReadonlyArray<MalformedKind> = ["truncated-json", "empty", "html"]
const patchKeys = ["outage", "failNext", "delayMs", "rateLimit", "malformed", "authError", "tokenLifetimeSeconds"]

type Fields = Record<string, unknown>
type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type Snapshot = Mutable<FaultsSnapshot> & { outageEndsAt: number | null }

const fail = (path: string, rule: string): never => {
  throw new SandboxConfigError(`${path === "" ? "faults" : `faults.${path}`} ${rule}`)
}

const object = (value: unknown, path: string, keys: ReadonlyArray<string>): Fields => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(path, path === "" ? "must be an object" : "must be an object or null")
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(path === "" ? key : `${path}.${key}`, "is not a known setting")
  }
  return value as Fields
}

const integer = (value: unknown, path: string, min: number, max: number, fallback?: number): number => {
  if (value === undefined && fallback !== undefined) return fallback
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return fail(path, `must be an integer from ${min} to ${max}`)
  }
  return value
}

/**
 * Validates a patch from an untrusted source (a control request's JSON, a JS caller) and fills in
 * defaults. Unknown keys are refused so that a typo does not silently inject nothing.
 *
 * @example
 * ```ts
 * parseFaultsPatch({ rateLimit: { retryAfterSeconds: 2 } })
 * // { rateLimit: { count: 1, retryAfterSeconds: 2 } }
 * ```
 */
export const parseFaultsPatch = (input: unknown): FaultsPatch => {
  const patch = object(input ?? {}, "", patchKeys)
  const out: Mutable<FaultsPatch> = {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      ;(out as Fields)[key] = null
      continue
    }
    switch (key) {
      case "outage": {
        const o = object(value, key, ["seconds"])
        if (typeof o.seconds !== "number" || !(o.seconds > 0 && o.seconds <= 86_400)) {
          fail("outage.seconds", "must be a number of seconds above 0 and at most 86400")
        }
        out.outage = { seconds: o.seconds as number }
        break
      }
      case "failNext": {
        const o = object(value, key, ["count", "status", "reset"])
        if (o.reset !== undefined && typeof o.reset !== "boolean") fail("failNext.reset", "must be a boolean")
        out.failNext = {
          count: integer(o.count, "failNext.count", 1, 1_000_000, 1),
          status: integer(o.status, "failNext.status", 400, 599, 502),
          reset: o.reset === true
        }
        break
      }
      case "delayMs":
        out.delayMs = integer(value, key, 0, 60_000)
        break
      case "rateLimit": {
        const o = object(value, key, ["count", "retryAfterSeconds"])
        out.rateLimit = {
          count: integer(o.count, "rateLimit.count", 1, 1_000_000, 1),
          retryAfterSeconds: integer(o.retryAfterSeconds, "rateLimit.retryAfterSeconds", 0, 86_400, 1)
        }
        break
      }
      case "malformed": {
        const o = object(value, key, ["count", "kind"])
        const kind = o.kind ?? "truncated-json"
        if (!malformedKinds.includes(kind as MalformedKind))
          fail("malformed.kind", `must be ${malformedKinds.join(", ")}`)
        out.malformed = { count: integer(o.count, "malformed.count", 1, 1_000_000, 1), kind: kind as MalformedKind }
        break
      }
      case "authError": {
        const o = object(value, key, ["count", "errorCode", "errorMessage"])
        const errorCode = o.errorCode ?? "AUTH_ERR_013"
        if (typeof errorCode !== "string" || !isAuthErrorCode(errorCode)) {
          fail("authError.errorCode", "must look like AUTH_ERR_ and three digits")
        }
        const documented = (authErrorMessages as Record<string, string | undefined>)[errorCode as string]
        const errorMessage = o.errorMessage ?? documented ?? undocumentedErrorMessage
        if (typeof errorMessage !== "string" || errorMessage.length === 0 || errorMessage.length > 500) {
          fail("authError.errorMessage", "must be a string of 1 to 500 characters")
        }
        out.authError = {
          count: integer(o.count, "authError.count", 1, 1_000_000, 1),
          errorCode: errorCode as string,
          errorMessage: errorMessage as string
        }
        break
      }
      case "tokenLifetimeSeconds":
        out.tokenLifetimeSeconds = integer(value, key, 1, 86_400)
        break
    }
  }
  return out
}

const empty = (): Snapshot => ({
  outage: null,
  outageEndsAt: null,
  failNext: null,
  delayMs: 0,
  rateLimit: null,
  malformed: null,
  authError: null,
  tokenLifetimeSeconds: null
})

/**
 * The mutable fault state of one sandbox. Precedence when several are active, one fault per
 * request: outage, then failNext, rateLimit, authError, malformed. `delayMs` applies before any of
 * them and to normal answers too.
 *
 * @example
 * ```ts
 * const faults = new FaultState(Date.now)
 * faults.apply({ failNext: { count: 2, status: 503 } })
 * faults.next() // { _tag: "Fail", status: 503 }, and one remains
 * ```
 */
export class FaultState {
  private state: Snapshot = empty()

  constructor(private readonly now: () => number) {}

  /** Validates and applies a patch; throws `SandboxConfigError` on invalid input, leaving the state untouched. */
  apply(input: unknown): FaultsSnapshot {
    const patch = parseFaultsPatch(input)
    const next = { ...this.state }
    if (patch.outage !== undefined) {
      next.outageEndsAt = patch.outage === null ? null : this.now() + patch.outage.seconds * 1000
    }
    if (patch.failNext !== undefined) next.failNext = patch.failNext as FaultsSnapshot["failNext"]
    if (patch.delayMs !== undefined) next.delayMs = patch.delayMs ?? 0
    if (patch.rateLimit !== undefined) next.rateLimit = patch.rateLimit as FaultsSnapshot["rateLimit"]
    if (patch.malformed !== undefined) next.malformed = patch.malformed as FaultsSnapshot["malformed"]
    if (patch.authError !== undefined) next.authError = patch.authError as FaultsSnapshot["authError"]
    if (patch.tokenLifetimeSeconds !== undefined) next.tokenLifetimeSeconds = patch.tokenLifetimeSeconds
    this.state = next
    return this.snapshot()
  }

  /** Switches every fault off, the lifetime override included. */
  clear(): FaultsSnapshot {
    this.state = empty()
    return this.snapshot()
  }

  /** The active faults; an outage whose window has passed is reported as `null`. */
  snapshot(): FaultsSnapshot {
    const { outageEndsAt, ...rest } = this.state
    const active = outageEndsAt !== null && this.now() < outageEndsAt
    return { ...rest, outage: active ? { endsAt: new Date(outageEndsAt).toISOString() } : null }
  }

  /** The delay to apply before answering an auth request, in ms. */
  get delayMs(): number {
    return this.state.delayMs
  }

  /** The token lifetime override in seconds, if any. */
  get tokenLifetimeSeconds(): number | null {
    return this.state.tokenLifetimeSeconds
  }

  /** Decides the fault for one auth request and consumes one count of it; `undefined` means answer normally. */
  next(): FaultAction | undefined {
    const s = this.state
    if (s.outageEndsAt !== null && this.now() < s.outageEndsAt) return { _tag: "Outage" }
    if (s.failNext !== null) {
      const { status, reset } = s.failNext
      s.failNext = this.consume(s.failNext)
      return reset ? { _tag: "Reset" } : { _tag: "Fail", status }
    }
    if (s.rateLimit !== null) {
      const { retryAfterSeconds } = s.rateLimit
      s.rateLimit = this.consume(s.rateLimit)
      return { _tag: "RateLimit", retryAfterSeconds }
    }
    if (s.authError !== null) {
      const { errorCode, errorMessage } = s.authError
      s.authError = this.consume(s.authError)
      return { _tag: "AuthError", errorCode, errorMessage }
    }
    if (s.malformed !== null) {
      const { kind } = s.malformed
      s.malformed = this.consume(s.malformed)
      return { _tag: "Malformed", kind }
    }
    return undefined
  }

  private consume<T extends { readonly count: number }>(fault: T): T | null {
    return fault.count > 1 ? { ...fault, count: fault.count - 1 } : null
  }
}

const theNext = (count: number, what: string): string =>
  count === 1 ? `the next auth request ${what}s` : `the next ${count} auth requests ${what}`

/**
 * Describes the active faults, one human line per fault, for a start-up banner or a log; empty
 * when none is active. Lines come in the order the faults act: the delay, then outage, failNext,
 * rateLimit, authError, malformed, and last the lifetime override. Pure: it reads only the snapshot.
 *
 * @example
 * ```ts
 * describeFaults(sandbox.faults())
 * // ["failNext: the next 3 auth requests get an HTML 503", "rateLimit: the next auth request gets 429 with Retry-After: 30"]
 * ```
 */
export const describeFaults = (snapshot: FaultsSnapshot): ReadonlyArray<string> => {
  const { delayMs, outage, failNext, rateLimit, authError, malformed, tokenLifetimeSeconds } = snapshot
  const lines: Array<string> = []
  if (delayMs > 0) lines.push(`delay: every auth request waits ${delayMs} ms`)
  if (outage !== null) lines.push(`outage: every auth request gets an HTML 503 until ${outage.endsAt}`)
  if (failNext !== null) {
    const how = failNext.reset ? "a connection reset" : `an HTML ${failNext.status}`
    lines.push(`failNext: ${theNext(failNext.count, "get")} ${how}`)
  }
  if (rateLimit !== null) {
    lines.push(`rateLimit: ${theNext(rateLimit.count, "get")} 429 with Retry-After: ${rateLimit.retryAfterSeconds}`)
  }
  if (authError !== null) {
    lines.push(`authError: ${theNext(authError.count, "get")} ${authError.errorCode} "${authError.errorMessage}"`)
  }
  if (malformed !== null)
    lines.push(`malformed: ${theNext(malformed.count, "get")} a malformed 200 (${malformed.kind})`)
  if (tokenLifetimeSeconds !== null) {
    lines.push(`tokenLifetimeSeconds: tokens live ${tokenLifetimeSeconds} s, whatever minutes are asked`)
  }
  return lines
}
