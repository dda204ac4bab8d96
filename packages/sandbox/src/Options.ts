/** The options of `startSandbox`, and the request log entry it can report to a caller (the CLI). */

import type { AllowedList } from "./ControlAccess.js"
import type { CorsOrigin } from "./Cors.js"
import type { Endpoint } from "./Counters.js"
import type { CredentialInput } from "./Credentials.js"
import type { FaultKind, FaultsPatch } from "./Faults.js"
import type { SandboxLog } from "./SandboxLog.js"

/** How to start a sandbox. Every field is optional; the defaults make a loopback server on an ephemeral port. */
export interface SandboxOptions {
  /** TCP port; `0` (default) lets the OS pick a free one — read it back from `Sandbox.port`. */
  readonly port?: number
  /**
   * Interface to bind; default `127.0.0.1`. `0.0.0.0` exposes it, its control API included, to the
   * network — it is a sandbox, think twice (`isLoopbackHost` tells a caller when to warn).
   */
  readonly host?: string
  /** Replaces the demo credential table (see `demoCredentials`). */
  readonly credentials?: ReadonlyArray<CredentialInput>
  /** HTTP status of `AuthError` answers: `200` (default, as the vendor documents) or a 4xx (400…499). */
  readonly errorStatus?: number
  /** Issue tokens living this many seconds (1…86 400) whatever minutes were requested; same as `faults.tokenLifetimeSeconds`. */
  readonly tokenLifetimeSeconds?: number
  /** Origins allowed by CORS: `"*"` or exact origins. Default: no CORS headers. */
  readonly corsOrigin?: CorsOrigin
  /**
   * Origins (besides loopback ones, on any port) whose pages may use the control API, e.g.
   * `"https://app.example"`; `"*"` lets any page use it. Browsers send `Origin`; tools do not.
   */
  readonly allowedOrigins?: AllowedList
  /**
   * `Host` names (besides loopback names, IP addresses and the bound host) the control API answers
   * under, e.g. `"sandbox"` in a Compose network; `"*"` turns the DNS-rebinding check off.
   */
  readonly allowedHosts?: AllowedList
  /** Faults active from the start (and restored by `reset()`). */
  readonly faults?: FaultsPatch
  /** Whether an expired (unrevoked) token may be refreshed; default `true`, as in the vendor's own example. `false` answers `AUTH_ERR_007`. */
  readonly refreshExpired?: boolean
  /** Largest request body read, in bytes (default 65 536); above it the answer is `413`. The auth endpoints ignore bodies. */
  readonly maxBodyBytes?: number
  /** Largest request head (request line and headers), in bytes (default 16 384); above it the answer is `431`. */
  readonly maxHeaderBytes?: number
  /** Clock in epoch milliseconds (default `Date.now`): drives `iat`, `exp`, `createdDt`, expiry checks and outage windows. For tests. */
  readonly now?: () => number
  /** Called once per answered request; never receives header values, bodies or tokens. */
  readonly onRequest?: (entry: RequestLogEntry) => void
  /** Log lines (listening, each request, reset, stopped) in text or JSON; none by default. */
  readonly log?: SandboxLog
}

/** One answered request, for a log line such as `POST /v1/authenticate-token 200 AUTH_ERR_004 3ms`. */
export interface RequestLogEntry {
  readonly method: string
  /** The path without its query string. */
  readonly path: string
  /** The counted endpoint, or `control` for `/_sandbox/*`, or `preflight` for a CORS preflight. */
  readonly endpoint: Endpoint | "control" | "preflight"
  /** The status sent, or `null` when the connection was reset on purpose or closed by the client. */
  readonly status: number | null
  /** The `errorCode` of an `AuthError` answer. */
  readonly errorCode: string | null
  /** The fault that answered the request, if one did (`delay` when it was only delayed). */
  readonly fault: FaultKind | null
  readonly durationMs: number
}
