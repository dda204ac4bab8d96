/** Validates `SandboxOptions` once, at start-up, into the settings the server runs with. */

import { type ControlAccess, controlAccess } from "../ControlAccess.js"
import { type CorsPolicy, corsPolicy } from "../Cors.js"
import { credentialTable, demoCredentials, type SandboxCredential } from "../Credentials.js"
import { type FaultsPatch, parseFaultsPatch } from "../Faults.js"
import type { RequestLogEntry, SandboxOptions } from "../Options.js"
import { SandboxConfigError } from "../SandboxConfigError.js"
import { requestLogLine } from "../SandboxLog.js"
import { got } from "./got.js"
import { errorStatusIn, integerIn, ranges } from "./rules.js"

/** The validated settings of a sandbox. */
export interface Settings {
  readonly port: number
  readonly host: string
  readonly credentials: ReadonlyArray<SandboxCredential>
  readonly errorStatus: number
  readonly cors: CorsPolicy | undefined
  readonly access: ControlAccess
  readonly initialFaults: FaultsPatch
  readonly refreshExpired: boolean
  readonly maxBodyBytes: number
  readonly maxHeaderBytes: number
  readonly now: () => number
  readonly onRequest: ((entry: RequestLogEntry) => void) | undefined
}

const optional = (name: keyof typeof ranges, value: number | undefined, fallback: number): number =>
  value === undefined ? fallback : integerIn(name, value, ranges[name])

/** Checks every option, filling in defaults; throws `SandboxConfigError` naming the first bad one. */
export const resolveOptions = (options: SandboxOptions): Settings => {
  const errorStatus = errorStatusIn("errorStatus", options.errorStatus ?? 200)
  const host = options.host ?? "127.0.0.1"
  if (typeof host !== "string" || host.trim() === "") {
    throw new SandboxConfigError(`host must be a non-empty string${got(host)}`)
  }
  if (options.refreshExpired !== undefined && typeof options.refreshExpired !== "boolean") {
    throw new SandboxConfigError(`refreshExpired must be a boolean${got(options.refreshExpired)}`)
  }
  const faults = parseFaultsPatch(options.faults ?? {})
  const lifetime = options.tokenLifetimeSeconds
  const initialFaults =
    lifetime === undefined
      ? faults
      : { ...faults, tokenLifetimeSeconds: integerIn("tokenLifetimeSeconds", lifetime, ranges.tokenLifetimeSeconds) }
  return {
    port: optional("port", options.port, 0),
    host,
    credentials: options.credentials === undefined ? demoCredentials : credentialTable(options.credentials),
    errorStatus,
    cors: corsPolicy(options.corsOrigin),
    access: controlAccess(host, options.allowedHosts, options.allowedOrigins),
    initialFaults,
    refreshExpired: options.refreshExpired ?? true,
    maxBodyBytes: optional("maxBodyBytes", options.maxBodyBytes, 65_536),
    maxHeaderBytes: optional("maxHeaderBytes", options.maxHeaderBytes, 16_384),
    now: options.now ?? Date.now,
    onRequest:
      options.log === undefined
        ? options.onRequest
        : (entry) => {
            options.onRequest?.(entry)
            options.log?.write(requestLogLine(options.log.format, entry))
          }
  }
}
