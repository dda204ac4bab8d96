/**
 * Configuration from the environment names of the interface contract, read with Effect `Config`
 * (so any `ConfigProvider` works: `process.env`, a record, a `.env` file), or given
 * programmatically. Keys are `Redacted` from the moment they are read.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `IPOS_API_KEY` | API key | — |
 * | `IPOS_SECRET_KEY` | secret key | — |
 * | `IPOS_API_KEY_FILE`, `IPOS_SECRET_KEY_FILE` | a file holding the key (one trailing newline trimmed); not with its twin | — |
 * | `IPOS_SCOPE` | `PaymentTokenization`, `Recurring`, `BatchReport` or `ExternalApi` | `PaymentTokenization` |
 * | `IPOS_ENV` | `sandbox` or `production` | `sandbox` |
 * | `IPOS_AUTH_URL` | base URL override (a local sandbox, Prism) | the environment's server |
 * | `IPOS_TOKEN_EXPIRY_MINUTES` | requested lifetime, 30…1440 | not sent (the service decides) |
 *
 * @since 0.1.0
 */
import { servers } from "@ipos/auth-client"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { bothSet, credentialFileNames, readSecretFile } from "./CredentialFiles.js"
import { type Credentials, makeCredentials } from "./Credentials.js"
import type { Environment, Scope } from "./Schemas.js"
import {
  ValidationError,
  type ValidationField,
  validateBaseUrl,
  validateEnvironment,
  validateExpiryMinutes,
  validateScope
} from "./ValidationError.js"

/**
 * The environment variable names (stable: CLI and proxy read the same ones).
 *
 * @example
 * ```ts
 * import { envNames } from "@ipos/auth-core"
 * envNames.apiKey // "IPOS_API_KEY"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const envNames = {
  apiKey: "IPOS_API_KEY",
  secretKey: "IPOS_SECRET_KEY",
  scope: "IPOS_SCOPE",
  env: "IPOS_ENV",
  authUrl: "IPOS_AUTH_URL",
  expiryMinutes: "IPOS_TOKEN_EXPIRY_MINUTES"
} as const

/**
 * A validated configuration.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { loadAuthConfig, type AuthConfig } from "@ipos/auth-core"
 * const describe = (c: AuthConfig) => `${c.env} ${c.baseUrl} ${c.scope}`
 * Effect.map(loadAuthConfig(), describe)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthConfig {
  /** Both keys, or `undefined` when neither was given (refresh and decode need none). */
  readonly credentials: Credentials | undefined
  readonly scope: Scope
  readonly env: Environment
  /** `IPOS_AUTH_URL` when set, else the environment's server. No trailing slash. */
  readonly baseUrl: string
  readonly expiryMinutes: number | undefined
}

/**
 * Programmatic configuration; every field optional. Plain strings or `Redacted` keys.
 *
 * @example
 * ```ts
 * import { makeAuthConfig, type AuthConfigInput } from "@ipos/auth-core"
 * const input: AuthConfigInput = { apiKey, secretKey, env: "production", expiryMinutes: "90" }
 * makeAuthConfig(input)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthConfigInput {
  readonly apiKey?: string | Redacted.Redacted<string> | undefined
  readonly secretKey?: string | Redacted.Redacted<string> | undefined
  readonly scope?: string | undefined
  readonly env?: string | undefined
  readonly baseUrl?: string | undefined
  readonly expiryMinutes?: number | string | undefined
}

interface FieldNames {
  readonly apiKey: ValidationField
  readonly secretKey: ValidationField
  readonly scope: ValidationField
  readonly env: ValidationField
  readonly baseUrl: ValidationField
  readonly expiryMinutes: ValidationField
}

const programmaticFields: FieldNames = {
  apiKey: "apiKey",
  secretKey: "secretKey",
  scope: "scope",
  env: "env",
  baseUrl: "baseUrl",
  expiryMinutes: "expiryMinutes"
}

const envFields: FieldNames = {
  apiKey: "IPOS_API_KEY",
  secretKey: "IPOS_SECRET_KEY",
  scope: "IPOS_SCOPE",
  env: "IPOS_ENV",
  baseUrl: "IPOS_AUTH_URL",
  expiryMinutes: "IPOS_TOKEN_EXPIRY_MINUTES"
}

const toMinutes = (value: number | string, field: ValidationField): Result.Result<number, ValidationError> => {
  if (typeof value === "number") return validateExpiryMinutes(value, field)
  const text = value.trim()
  return /^\d{1,6}$/.test(text)
    ? validateExpiryMinutes(Number(text), field)
    : Result.fail(new ValidationError({ field, reason: "must be an integer from 30 to 1440" }))
}

const build = (input: AuthConfigInput, fields: FieldNames): Result.Result<AuthConfig, ValidationError> =>
  Result.gen(function* () {
    const credentials =
      input.apiKey === undefined && input.secretKey === undefined
        ? undefined
        : yield* makeCredentials(input, { apiKey: fields.apiKey, secretKey: fields.secretKey })
    const scope = yield* validateScope(input.scope ?? "PaymentTokenization", fields.scope)
    const env = yield* validateEnvironment(input.env ?? "sandbox", fields.env)
    const baseUrl = yield* validateBaseUrl(input.baseUrl ?? servers[env], fields.baseUrl)
    const expiryMinutes =
      input.expiryMinutes === undefined ? undefined : yield* toMinutes(input.expiryMinutes, fields.expiryMinutes)
    return { credentials, scope, env, baseUrl, expiryMinutes }
  })

/**
 * Validates a programmatic configuration (defaults: scope `PaymentTokenization`, env `sandbox`).
 *
 * @example
 * ```ts
 * import { makeAuthConfig } from "@ipos/auth-core"
 * const config = makeAuthConfig({ apiKey: "demo-api-key", secretKey: "demo-secret", scope: "Recurring" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeAuthConfig = (input: AuthConfigInput): Result.Result<AuthConfig, ValidationError> =>
  build(input, programmaticFields)

const optionalString = (name: string) => Config.option(Config.String(name))

/**
 * The raw `Config` of the eight variables (all optional; nothing validated yet).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { authConfigVariables } from "@ipos/auth-core"
 * const raw = Effect.runSync(authConfigVariables) // { apiKey: Option<Redacted<string>>, ... }
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const authConfigVariables = Config.all({
  apiKey: Config.option(Config.Redacted(envNames.apiKey)),
  secretKey: Config.option(Config.Redacted(envNames.secretKey)),
  scope: optionalString(envNames.scope),
  env: optionalString(envNames.env),
  authUrl: optionalString(envNames.authUrl),
  expiryMinutes: optionalString(envNames.expiryMinutes),
  apiKeyFile: optionalString(credentialFileNames.apiKey),
  secretKeyFile: optionalString(credentialFileNames.secretKey)
})

/** A key from its variable or from the file its `_FILE` twin names; both set is an error. */
const keyFromEnv = (
  value: Option.Option<Redacted.Redacted<string>>,
  file: Option.Option<string>,
  name: "IPOS_API_KEY" | "IPOS_SECRET_KEY",
  fileName: "IPOS_API_KEY_FILE" | "IPOS_SECRET_KEY_FILE"
): Result.Result<Option.Option<Redacted.Redacted<string>>, ValidationError> => {
  const path = Option.getOrUndefined(file)
  if (path === undefined || path === "") return Result.succeed(value)
  if (Option.isSome(value) && Redacted.value(value.value) !== "") return Result.fail(bothSet(name, fileName))
  return Result.map(readSecretFile(path, fileName), (text) => Option.some(Redacted.make(text)))
}

/**
 * Reads and validates the configuration from the current `ConfigProvider` (by default
 * `process.env` where it exists). `overrides` win over the environment (e.g. CLI flags); invalid
 * values fail with a `ValidationError` naming the variable or option.
 *
 * @example
 * ```ts
 * import { ConfigProvider, Effect } from "effect"
 * import { loadAuthConfig } from "@ipos/auth-core"
 * const config = loadAuthConfig({ scope: "Recurring" }).pipe(
 *   Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: { IPOS_ENV: "production" } }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const loadAuthConfig = (overrides: AuthConfigInput = {}): Effect.Effect<AuthConfig, ValidationError> =>
  Effect.mapError(
    authConfigVariables,
    () => new ValidationError({ field: "options", reason: "the configuration could not be read" })
  ).pipe(
    Effect.flatMap((raw) =>
      Effect.fromResult(
        Result.gen(function* () {
          const pick = <A>(override: A | undefined, fromEnv: Option.Option<A>, field: keyof FieldNames) =>
            override !== undefined
              ? { value: override, field: programmaticFields[field] }
              : { value: Option.getOrUndefined(fromEnv), field: envFields[field] }
          const apiKeyEnv =
            overrides.apiKey === undefined
              ? yield* keyFromEnv(raw.apiKey, raw.apiKeyFile, envNames.apiKey, credentialFileNames.apiKey)
              : raw.apiKey
          const secretKeyEnv =
            overrides.secretKey === undefined
              ? yield* keyFromEnv(raw.secretKey, raw.secretKeyFile, envNames.secretKey, credentialFileNames.secretKey)
              : raw.secretKey
          const apiKey = pick(overrides.apiKey, apiKeyEnv, "apiKey")
          const secretKey = pick(overrides.secretKey, secretKeyEnv, "secretKey")
          const scope = pick(overrides.scope, raw.scope, "scope")
          const env = pick(overrides.env, raw.env, "env")
          const baseUrl = pick(overrides.baseUrl, raw.authUrl, "baseUrl")
          const expiry = pick<number | string>(overrides.expiryMinutes, raw.expiryMinutes, "expiryMinutes")
          return yield* build(
            {
              apiKey: apiKey.value,
              secretKey: secretKey.value,
              scope: scope.value,
              env: env.value,
              baseUrl: baseUrl.value,
              expiryMinutes: expiry.value
            },
            {
              apiKey: apiKey.field,
              secretKey: secretKey.field,
              scope: scope.field,
              env: env.field,
              baseUrl: baseUrl.field,
              expiryMinutes: expiry.field
            }
          )
        })
      )
    )
  )

/**
 * The credentials of a configuration, or a `ValidationError` naming what is missing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { loadAuthConfig, requireCredentials } from "@ipos/auth-core"
 * const credentials = Effect.flatMap(loadAuthConfig(), requireCredentials)
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const requireCredentials = (config: AuthConfig): Effect.Effect<Credentials, ValidationError> =>
  config.credentials === undefined
    ? Effect.fail(
        new ValidationError({
          field: "IPOS_API_KEY",
          reason: `is missing (set ${envNames.apiKey} and ${envNames.secretKey}, or pass apiKey and secretKey)`
        })
      )
    : Effect.succeed(config.credentials)
