/** Validates `SandboxOptions` once, at start-up, into the settings the server runs with. */
import { type CorsPolicy, corsPolicy } from "../Cors.js"
import { credentialTable, demoCredentials, type SandboxCredential } from "../Credentials.js"
import { type FaultsPatch, parseFaultsPatch } from "../Faults.js"
import type { RequestLogEntry, SandboxOptions } from "../Options.js"
import { SandboxConfigError } from "../SandboxConfigError.js"

/** The validated settings of a sandbox. */
export interface Settings {
  readonly port: number
  readonly host: string
  readonly credentials: ReadonlyArray<SandboxCredential>
  readonly errorStatus: number
  readonly cors: CorsPolicy | undefined
  readonly initialFaults: FaultsPatch
  readonly refreshExpired: boolean
  readonly maxBodyBytes: number
  readonly maxHeaderBytes: number
  readonly now: () => number
  readonly onRequest: ((entry: RequestLogEntry) => void) | undefined
}

const integer = (name: string, value: number | undefined, fallback: number, min: number, max: number): number => {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SandboxConfigError(`${name} must be an integer from ${min} to ${max}`)
  }
  return value
}

/** Checks every option, filling in defaults; throws `SandboxConfigError` naming the first bad one. */
export const resolveOptions = (options: SandboxOptions): Settings => {
  const errorStatus = options.errorStatus ?? 200
  if (!(errorStatus === 200 || (Number.isInteger(errorStatus) && errorStatus >= 400 && errorStatus <= 499))) {
    throw new SandboxConfigError("errorStatus must be 200 or an integer from 400 to 499")
  }
  const host = options.host ?? "127.0.0.1"
  if (typeof host !== "string" || host.trim() === "") throw new SandboxConfigError("host must be a non-empty string")
  if (options.refreshExpired !== undefined && typeof options.refreshExpired !== "boolean") {
    throw new SandboxConfigError("refreshExpired must be a boolean")
  }
  const faults = parseFaultsPatch(options.faults ?? {})
  const lifetime = options.tokenLifetimeSeconds
  const initialFaults =
    lifetime === undefined ? faults : { ...faults, ...parseFaultsPatch({ tokenLifetimeSeconds: lifetime }) }
  return {
    port: integer("port", options.port, 0, 0, 65_535),
    host,
    credentials: options.credentials === undefined ? demoCredentials : credentialTable(options.credentials),
    errorStatus,
    cors: corsPolicy(options.corsOrigin),
    initialFaults,
    refreshExpired: options.refreshExpired ?? true,
    maxBodyBytes: integer("maxBodyBytes", options.maxBodyBytes, 65_536, 0, 64 * 1024 * 1024),
    maxHeaderBytes: integer("maxHeaderBytes", options.maxHeaderBytes, 16_384, 1024, 1024 * 1024),
    now: options.now ?? Date.now,
    onRequest: options.onRequest
  }
}
