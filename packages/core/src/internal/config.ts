/**
 * How the configuration is resolved, without Effect `Config`: the same rules as `Config.ts`'s
 * `loadAuthConfig` (which reads the variables through any `ConfigProvider` and then calls
 * {@link fromVariables}), so that `createTokenManager({ fromEnv })` reads a plain record without
 * pulling `Config` (and the Schema behind it) into a browser bundle. `test/internal/config.test.ts`
 * proves {@link variablesOf} reads a record as `ConfigProvider.fromEnvRecord` does.
 *
 * @internal
 */
import { servers } from "@ipos/auth-client"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type { AuthConfig, AuthConfigInput } from "../Config.js"
import { bothSet, credentialFileNames, readSecretFile } from "../CredentialFiles.js"
import { makeCredentials } from "../Credentials.js"
import {
  ValidationError,
  type ValidationField,
  validateBaseUrl,
  validateEnvironment,
  validateExpiryMinutes,
  validateScope
} from "../ValidationError.js"

/** The names of the contract's variables (re-exported as `envNames` by `Config.ts`). */
export const envNames = {
  apiKey: "IPOS_API_KEY",
  secretKey: "IPOS_SECRET_KEY",
  scope: "IPOS_SCOPE",
  env: "IPOS_ENV",
  authUrl: "IPOS_AUTH_URL",
  expiryMinutes: "IPOS_TOKEN_EXPIRY_MINUTES"
} as const

/** The variables as read; `undefined` where unset (an empty value counts as unset, as in `Config`). */
export interface Variables {
  readonly apiKey: Redacted.Redacted<string> | undefined
  readonly secretKey: Redacted.Redacted<string> | undefined
  readonly scope: string | undefined
  readonly env: string | undefined
  readonly authUrl: string | undefined
  readonly expiryMinutes: string | undefined
  readonly apiKeyFile: string | undefined
  readonly secretKeyFile: string | undefined
}

/** Reads the variables from a record of environment values, as `ConfigProvider.fromEnvRecord` does. */
export const variablesOf = (record: Readonly<Record<string, string | undefined>>): Variables => {
  const read = (name: string): string | undefined => {
    const value = Object.hasOwn(record, name) ? record[name] : undefined
    return typeof value === "string" && value !== "" ? value : undefined
  }
  const secret = (name: string) => {
    const value = read(name)
    return value === undefined ? undefined : Redacted.make(value)
  }
  return {
    apiKey: secret(envNames.apiKey),
    secretKey: secret(envNames.secretKey),
    scope: read(envNames.scope),
    env: read(envNames.env),
    authUrl: read(envNames.authUrl),
    expiryMinutes: read(envNames.expiryMinutes),
    apiKeyFile: read(credentialFileNames.apiKey),
    secretKeyFile: read(credentialFileNames.secretKey)
  }
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

/** A configuration from programmatic values (the body of `Config.ts`'s `makeAuthConfig`). */
export const makeAuthConfig = (input: AuthConfigInput): Result.Result<AuthConfig, ValidationError> =>
  build(input, programmaticFields)

/** A key from its variable or from the file its `_FILE` twin names; both set is an error. */
const keyFromEnv = (
  value: Redacted.Redacted<string> | undefined,
  path: string | undefined,
  name: "IPOS_API_KEY" | "IPOS_SECRET_KEY",
  fileName: "IPOS_API_KEY_FILE" | "IPOS_SECRET_KEY_FILE"
): Result.Result<Redacted.Redacted<string> | undefined, ValidationError> => {
  if (path === undefined || path === "") return Result.succeed(value)
  if (value !== undefined && Redacted.value(value) !== "") return Result.fail(bothSet(name, fileName))
  return Result.map(readSecretFile(path, fileName), (text) => Redacted.make(text))
}

/**
 * A configuration from the variables, explicit values (`overrides`) winning; a failure names the
 * option or the variable the bad value came from.
 */
export const fromVariables = (
  raw: Variables,
  overrides: AuthConfigInput = {}
): Result.Result<AuthConfig, ValidationError> =>
  Result.gen(function* () {
    const pick = <A>(override: A | undefined, fromEnv: A | undefined, field: keyof FieldNames) =>
      override !== undefined
        ? { value: override, field: programmaticFields[field] }
        : { value: fromEnv, field: envFields[field] }
    const apiKeyEnv =
      overrides.apiKey === undefined
        ? yield* keyFromEnv(raw.apiKey, raw.apiKeyFile, envNames.apiKey, credentialFileNames.apiKey)
        : raw.apiKey
    const secretKeyEnv =
      overrides.secretKey === undefined
        ? yield* keyFromEnv(raw.secretKey, raw.secretKeyFile, envNames.secretKey, credentialFileNames.secretKey)
        : raw.secretKey
    const apiKey = pick<AuthConfigInput["apiKey"]>(overrides.apiKey, apiKeyEnv, "apiKey")
    const secretKey = pick<AuthConfigInput["secretKey"]>(overrides.secretKey, secretKeyEnv, "secretKey")
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
