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
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Result from "effect/Result"
import { credentialFileNames } from "./CredentialFiles.js"
import type { Credentials } from "./Credentials.js"
import * as internal from "./internal/config.js"
import type { Environment, Scope } from "./Schemas.js"
import { ValidationError } from "./ValidationError.js"

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
export const envNames = internal.envNames

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
  internal.makeAuthConfig(input)

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
        internal.fromVariables(
          {
            apiKey: Option.getOrUndefined(raw.apiKey),
            secretKey: Option.getOrUndefined(raw.secretKey),
            scope: Option.getOrUndefined(raw.scope),
            env: Option.getOrUndefined(raw.env),
            authUrl: Option.getOrUndefined(raw.authUrl),
            expiryMinutes: Option.getOrUndefined(raw.expiryMinutes),
            apiKeyFile: Option.getOrUndefined(raw.apiKeyFile),
            secretKeyFile: Option.getOrUndefined(raw.secretKeyFile)
          },
          overrides
        )
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
