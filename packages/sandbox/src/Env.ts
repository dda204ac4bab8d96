/**
 * Sandbox options from environment variables (`IPOS_SANDBOX_*`), so the CLI can honour them
 * with its flags taking precedence. Variables that are unset or empty are ignored.
 */
import { controlAccess } from "./ControlAccess.js"
import { corsPolicy } from "./Cors.js"
import { type CredentialInput, type CredentialLevel, demoCredentials } from "./Credentials.js"
import { type FaultsPatch, parseFaultsPatch } from "./Faults.js"
import { got as gotWith } from "./internal/got.js"
import { errorStatusIn, integerIn, ranges } from "./internal/rules.js"
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
  allowedOrigins: "IPOS_SANDBOX_ALLOWED_ORIGINS",
  allowedHosts: "IPOS_SANDBOX_ALLOWED_HOSTS",
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
  agentOfficeSecretKey: "IPOS_SANDBOX_AGENT_OFFICE_SECRET_KEY",
  logFormat: "IPOS_SANDBOX_LOG_FORMAT"
} as const

const credentialVariables: Readonly<Record<CredentialLevel, readonly [string, string]>> = {
  merchant: [sandboxEnv.merchantApiKey, sandboxEnv.merchantSecretKey],
  iso: [sandboxEnv.isoApiKey, sandboxEnv.isoSecretKey],
  agentOffice: [sandboxEnv.agentOfficeApiKey, sandboxEnv.agentOfficeSecretKey]
}

/**
 * The environment to read, such as `process.env`.
 *
 * @inline
 */
type Env = Readonly<Record<string, string | undefined>>

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim()
  return value === undefined || value === "" ? undefined : value
}

// A whole number of at least 0, and a number of seconds that may have a fraction.
const wholeNumber = /^\d+$/
const decimal = /^\d+(\.\d+)?$/

/** Shows a typed value in an error, unless it holds a key. */
type Got = (value: unknown) => string

// Values typed into the wrong variable may be keys: the sandbox's own and the client's. They are
// read only to keep them out of messages, never used.
const keysIn = (env: Env): ReadonlyArray<string> =>
  [...Object.values(credentialVariables).flat(), "IPOS_API_KEY", "IPOS_SECRET_KEY"].flatMap(
    (name) => read(env, name) ?? []
  )

// A whole number is read as a number, anything else is handed on as typed, for the rule to refuse.
const numberOrText = (value: string): number | string => (wholeNumber.test(value) ? Number(value) : value)

const integer = (env: Env, name: keyof typeof ranges & keyof typeof sandboxEnv, got: Got): number | undefined => {
  const value = read(env, sandboxEnv[name])
  return value === undefined
    ? undefined
    : integerIn(sandboxEnv[name], numberOrText(value), ranges[name], () => got(value))
}

const boolean = (env: Env, name: string, got: Got): boolean | undefined => {
  const typed = read(env, name)
  const value = typed?.toLowerCase()
  if (value === undefined) return undefined
  if (["true", "1", "yes"].includes(value)) return true
  if (["false", "0", "no"].includes(value)) return false
  throw new SandboxConfigError(`${name} must be true or false${got(typed)}`)
}

const list = (env: Env, name: string): ReadonlyArray<string> | undefined =>
  read(env, name)
    ?.split(",")
    .map((entry) => entry.trim())

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
const faultsFromEnv = (env: Env, got: Got): FaultsPatch | undefined => {
  const patch: Record<string, unknown> = {}
  for (const { key, name, format, parse } of faultVariables) {
    const value = read(env, name)
    if (value === undefined) continue
    const parsed = parse(value)
    if (parsed === undefined) throw new SandboxConfigError(`${name} must be ${format}${got(value)}`)
    try {
      patch[key] = parseFaultsPatch({ [key]: parsed })[key]
    } catch (error) {
      // The same rule the control API states, under the variable's name.
      if (error instanceof SandboxConfigError) throw new SandboxConfigError(`${name}: ${error.message}${got(value)}`)
      throw error
    }
  }
  return Object.keys(patch).length === 0 ? undefined : (patch as FaultsPatch)
}

/**
 * Reads the `IPOS_SANDBOX_*` variables into options; only variables that are set appear in the
 * result. A credential variable replaces that level's demo key, the other levels keep theirs. The
 * fault variables are combined into one `faults` patch and checked here, with the control API's
 * rules, and so are the ranges and lists of the other settings. Throws `SandboxConfigError` naming
 * the malformed variable and showing what it holds, unless that holds a key (a credential variable's
 * value, or the client's `IPOS_API_KEY` / `IPOS_SECRET_KEY`, read only for this).
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ ...sandboxOptionsFromEnv(process.env), ...optionsFromFlags })
 * ```
 */
export const sandboxOptionsFromEnv = (env: Env): SandboxOptions => {
  const options: { -readonly [K in keyof SandboxOptions]: SandboxOptions[K] } = {}
  const keys = keysIn(env)
  const got: Got = (value) => gotWith(value, keys)
  const port = integer(env, "port", got)
  if (port !== undefined) options.port = port
  const host = read(env, sandboxEnv.host)
  if (host !== undefined) options.host = host
  const errorStatus = read(env, sandboxEnv.errorStatus)
  if (errorStatus !== undefined) {
    options.errorStatus = errorStatusIn(sandboxEnv.errorStatus, numberOrText(errorStatus), () => got(errorStatus))
  }
  const lifetime = integer(env, "tokenLifetimeSeconds", got)
  if (lifetime !== undefined) options.tokenLifetimeSeconds = lifetime
  const cors = list(env, sandboxEnv.corsOrigin)
  if (cors !== undefined) options.corsOrigin = cors
  corsPolicy(cors, sandboxEnv.corsOrigin, got)
  const allowedOrigins = list(env, sandboxEnv.allowedOrigins)
  if (allowedOrigins !== undefined) options.allowedOrigins = allowedOrigins
  const allowedHosts = list(env, sandboxEnv.allowedHosts)
  if (allowedHosts !== undefined) options.allowedHosts = allowedHosts
  controlAccess(
    host ?? "127.0.0.1",
    allowedHosts,
    allowedOrigins,
    { hosts: sandboxEnv.allowedHosts, origins: sandboxEnv.allowedOrigins },
    got
  )
  const refreshExpired = boolean(env, sandboxEnv.refreshExpired, got)
  if (refreshExpired !== undefined) options.refreshExpired = refreshExpired
  const faults = faultsFromEnv(env, got)
  if (faults !== undefined) options.faults = faults
  // The sandbox's own variable first, then the one the proxy reads too.
  const logFormat = read(env, sandboxEnv.logFormat) ?? read(env, "IPOS_LOG_FORMAT")
  if (logFormat !== undefined) {
    if (logFormat !== "text" && logFormat !== "json")
      throw new SandboxConfigError(`${sandboxEnv.logFormat} must be text or json${got(logFormat)}`)
    options.log = { format: logFormat, write: (line) => void process.stderr.write(`${line}\n`) }
  }

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
