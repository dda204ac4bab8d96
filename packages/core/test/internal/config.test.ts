import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { authConfigVariables, envNames } from "../../src/Config.js"
import { credentialFileNames } from "../../src/CredentialFiles.js"
import { variablesOf } from "../../src/internal/config.js"

const names = [...Object.values(envNames), ...Object.values(credentialFileNames)]
const value = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom("", " ", "\n", "sandbox", "42", " PaymentTokenization "),
  fc.string({ maxLength: 8 })
)
const record = fc.record(
  Object.fromEntries([...names, "ipos_scope", "IPOS_SCOPE_X", "OTHER"].map((name) => [name, value])),
  { requiredKeys: [] }
) as fc.Arbitrary<Record<string, string | undefined>>

// What `loadAuthConfig` reads through `ConfigProvider.fromEnvRecord`, as plain values.
const throughConfig = (env: Record<string, string | undefined>) => {
  const raw = Effect.runSync(
    authConfigVariables.pipe(
      Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord(env as Record<string, string>))
    )
  )
  const secret = (o: Option.Option<Redacted.Redacted<string>>) => Option.getOrUndefined(Option.map(o, Redacted.value))
  return {
    apiKey: secret(raw.apiKey),
    secretKey: secret(raw.secretKey),
    scope: Option.getOrUndefined(raw.scope),
    env: Option.getOrUndefined(raw.env),
    authUrl: Option.getOrUndefined(raw.authUrl),
    expiryMinutes: Option.getOrUndefined(raw.expiryMinutes),
    apiKeyFile: Option.getOrUndefined(raw.apiKeyFile),
    secretKeyFile: Option.getOrUndefined(raw.secretKeyFile)
  }
}

describe("variablesOf", () => {
  it("reads a record as Config reads it through ConfigProvider.fromEnvRecord", () => {
    fc.assert(
      fc.property(record, (env) => {
        const read = variablesOf(env)
        expect({
          ...read,
          apiKey: read.apiKey === undefined ? undefined : Redacted.value(read.apiKey),
          secretKey: read.secretKey === undefined ? undefined : Redacted.value(read.secretKey)
        }).toStrictEqual(throughConfig(env))
      }),
      { numRuns: 1000 }
    )
  })

  it("keeps the keys Redacted", () => {
    const read = variablesOf({ IPOS_API_KEY: "k", IPOS_SECRET_KEY: "s" })
    expect(Redacted.isRedacted(read.apiKey)).toBe(true)
    expect(String(read.secretKey)).not.toContain("s")
  })
})
