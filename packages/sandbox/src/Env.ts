/**
 * Sandbox options from environment variables (`IPOS_SANDBOX_*`), so the CLI can honour them
 * with its flags taking precedence. Variables that are unset or empty are ignored.
 */
import { type CredentialInput, type CredentialLevel, demoCredentials } from "./Credentials.js"
import { type FaultsPatch, parseFaultsPatch } from "./Faults.js"
import type { SandboxOptions } from "./Options.js"
import { SandboxConfigError } from "./SandboxConfigError.js"

/**
 * The variable names, by option.
 *
 * @example
 * ```ts
 * sandboxEnv.port // "IPOS_SANDBOX_PORT"
 * ```
 */
export const sandboxEnv = {
  port: "IPOS_SANDBOX_PORT",
  host: "IPOS_SANDBOX_HOST",
  errorStatus: "IPOS_SANDBOX_ERROR_STATUS",
  tokenLifetimeSeconds: "IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS",
  corsOrigin: "IPOS_SANDBOX_CORS_ORIGIN",
  refreshExpired: "IPOS_SANDBOX_REFRESH_EXPIRED",
  delayMs: "IPOS_SANDBOX_DELAY_MS",
  outageSeconds: "IPOS_SANDBOX_OUTAGE_SECONDS",
  failNext: "IPOS_SANDBOX_FAIL_NEXT",
  rateLimit: "IPOS_SANDBOX_RATE_LIMIT",
  malformed: "IPOS_SANDBOX_MALFORMED",
  authError: "IPOS_SANDBOX_AUTH_ERROR",
  merchantApiKey: "IPOS_SANDBOX_MERCHANT_API_KEY",
  merchantSecretKey: "IPOS_SANDBOX_MERCHANT_SECRET_KEY",
  isoApiKey: "IPOS_SANDBOX_ISO_API_KEY",
  isoSecretKey: "IPOS_SANDBOX_ISO_SECRET_KEY",
  agentOfficeApiKey: "IPOS_SANDBOX_AGENT_OFFICE_API_KEY",
  agentOfficeSecretKey: "IPOS_SANDBOX_AGENT_OFFICE_SECRET_KEY"
} as const

const credentialVariables: Readonly<Record<CredentialLevel, readonly [string, string]>> = {
  merchant: [sandboxEnv.merchantApiKey, sandboxEnv.merchantSecretKey],
  iso: [sandboxEnv.isoApiKey, sandboxEnv.isoSecretKey],
  agentOffice: [sandboxEnv.agentOfficeApiKey, sandboxEnv.agentOfficeSecretKey]
}

type Env = Readonly<Record<string, string | undefined>>

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim()
  return value === undefined || value === "" ? undefined : value
}

const integer = (env: Env, name: string): number | undefined => {
  const value = read(env, name)
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new SandboxConfigError(`${name} must be a whole number`)
  return Number(value)
}

const boolean = (env: Env, name: string): boolean | undefined => {
  const value = read(env, name)?.toLowerCase()
  if (value === undefined) return undefined
  if (["true", "1", "yes"].includes(value)) return true
  if (["false", "0", "no"].includes(value)) return false
  throw new SandboxConfigError(`${name} must be true or false`)
}

// A whole number of at least 0, and a number of seconds that may have a fraction.
const wholeNumber = /^\d+$/
const decimal = /^\d+(\.\d+)?$/

/** Splits `a:b:c` into at most `limit` trimmed fields, the last one keeping any further colons. */
const fieldsOf = (value: string, limit: number): ReadonlyArray<string> => {
  const parts = value.split(":")
  const head = parts.slice(0, limit - 1)
  const tail = parts.slice(limit - 1)
  return [...head, ...(tail.length === 0 ? [] : [tail.join(":")])].map((part) => part.trim())
}

/** How one fault variable is written, and what patch value it stands for (`undefined`: not that shape). */
interface FaultVariable {
  readonly key: keyof FaultsPatch
  readonly name: string
  /** The accepted shapes, for the error message. */
  readonly format: string
  readonly parse: (value: string) => unknown
}

const faultVariables: ReadonlyArray<FaultVariable> = [
  {
    key: "delayMs",
    name: sandboxEnv.delayMs,
    format: "a whole number",
    parse: (value) => (wholeNumber.test(value) ? Number(value) : undefined)
  },
  {
    key: "outage",
    name: sandboxEnv.outageSeconds,
    format: "a number of seconds, e.g. 30 or 1.5",
    parse: (value) => (decimal.test(value) ? { seconds: Number(value) } : undefined)
  },
  {
    key: "failNext",
    name: sandboxEnv.failNext,
    format: "COUNT, COUNT:STATUS or COUNT:reset, e.g. 3, 3:503 or 3:reset",
    parse: (value) => {
      const [count = "", how] = fieldsOf(value, 2)
      if (!wholeNumber.test(count)) return undefined
      if (how === undefined) return { count: Number(count) }
      if (how.toLowerCase() === "reset") return { count: Number(count), reset: true }
      return wholeNumber.test(how) ? { count: Number(count), status: Number(how) } : undefined
    }
  },
  {
    key: "rateLimit",
    name: sandboxEnv.rateLimit,
    format: "COUNT or COUNT:RETRY_AFTER_SECONDS, e.g. 2 or 2:30",
    parse: (value) => {
      const [count = "", retryAfter] = fieldsOf(value, 2)
      if (!wholeNumber.test(count)) return undefined
      if (retryAfter === undefined) return { count: Number(count) }
      return wholeNumber.test(retryAfter) ? { count: Number(count), retryAfterSeconds: Number(retryAfter) } : undefined
    }
  },
  {
    key: "malformed",
    name: sandboxEnv.malformed,
    format: "COUNT or COUNT:KIND, e.g. 1 or 1:html",
    parse: (value) => {
      const [count = "", kind] = fieldsOf(value, 2)
      if (!wholeNumber.test(count) || kind === "") return undefined
      return kind === undefined ? { count: Number(count) } : { count: Number(count), kind }
    }
  },
  {
    key: "authError",
    name: sandboxEnv.authError,
    format: "COUNT, COUNT:CODE or COUNT:CODE:MESSAGE, e.g. 1 or 1:AUTH_ERR_013",
    parse: (value) => {
      const [count = "", errorCode, errorMessage] = fieldsOf(value, 3)
      if (!wholeNumber.test(count) || errorCode === "" || errorMessage === "") return undefined
      if (errorCode === undefined) return { count: Number(count) }
      return errorMessage === undefined
        ? { count: Number(count), errorCode }
        : { count: Number(count), errorCode, errorMessage }
    }
  }
]

/** The start-up faults the variables ask for, validated as the control API validates them. */
const faultsFromEnv = (env: Env): FaultsPatch | undefined => {
  const patch: Record<string, unknown> = {}
  for (const { key, name, format, parse } of faultVariables) {
    const value = read(env, name)
    if (value === undefined) continue
    const parsed = parse(value)
    if (parsed === undefined) throw new SandboxConfigError(`${name} must be ${format}`)
    try {
      patch[key] = parseFaultsPatch({ [key]: parsed })[key]
    } catch (error) {
      // The same rule the control API states, under the variable's name; never the value.
      if (error instanceof SandboxConfigError) throw new SandboxConfigError(`${name}: ${error.message}`)
      throw error
    }
  }
  return Object.keys(patch).length === 0 ? undefined : (patch as FaultsPatch)
}

/**
 * Reads the `IPOS_SANDBOX_*` variables into options; only variables that are set appear in the
 * result. A credential variable replaces that level's demo key, the other levels keep theirs. The
 * fault variables are combined into one `faults` patch and checked here, with the control API's
 * rules. Throws `SandboxConfigError` naming a malformed variable (never echoing its value). The
 * ranges of the other settings are checked by `startSandbox`, which throws the same error.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ ...sandboxOptionsFromEnv(process.env), ...optionsFromFlags })
 * ```
 */
export const sandboxOptionsFromEnv = (env: Env): SandboxOptions => {
  const options: { -readonly [K in keyof SandboxOptions]: SandboxOptions[K] } = {}
  const port = integer(env, sandboxEnv.port)
  if (port !== undefined) options.port = port
  const host = read(env, sandboxEnv.host)
  if (host !== undefined) options.host = host
  const errorStatus = integer(env, sandboxEnv.errorStatus)
  if (errorStatus !== undefined) options.errorStatus = errorStatus
  const lifetime = integer(env, sandboxEnv.tokenLifetimeSeconds)
  if (lifetime !== undefined) options.tokenLifetimeSeconds = lifetime
  const cors = read(env, sandboxEnv.corsOrigin)
  if (cors !== undefined) options.corsOrigin = cors.split(",").map((origin) => origin.trim())
  const refreshExpired = boolean(env, sandboxEnv.refreshExpired)
  if (refreshExpired !== undefined) options.refreshExpired = refreshExpired
  const faults = faultsFromEnv(env)
  if (faults !== undefined) options.faults = faults

  let overridden = false
  const credentials = demoCredentials.map((demo): CredentialInput => {
    const [apiKeyName, secretKeyName] = credentialVariables[demo.level]
    const apiKey = read(env, apiKeyName)
    const secretKey = read(env, secretKeyName)
    if (apiKey !== undefined || secretKey !== undefined) overridden = true
    return { level: demo.level, apiKey: apiKey ?? demo.apiKey, secretKey: secretKey ?? demo.secretKey }
  })
  if (overridden) options.credentials = credentials
  return options
}
