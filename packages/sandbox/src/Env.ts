/**
 * Sandbox options from environment variables (`IPOS_SANDBOX_*`), so the CLI can honour them
 * with its flags taking precedence. Variables that are unset or empty are ignored.
 */
import { type CredentialInput, type CredentialLevel, demoCredentials } from "./Credentials.js"
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

/**
 * Reads the `IPOS_SANDBOX_*` variables into options; only variables that are set appear in the
 * result. A credential variable replaces that level's demo key, the other levels keep theirs.
 * Throws `SandboxConfigError` naming a malformed variable (never echoing a key). Range checks
 * happen in `startSandbox`, which throws the same error.
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
  const delayMs = integer(env, sandboxEnv.delayMs)
  if (delayMs !== undefined) options.faults = { delayMs }

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
