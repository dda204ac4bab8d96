import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { type AuthConfigInput, envNames, loadAuthConfig, makeAuthConfig, requireCredentials } from "../src/Config.js"
import type { ValidationError } from "../src/ValidationError.js"

const load = (env: Record<string, string>, overrides?: AuthConfigInput) =>
  loadAuthConfig(overrides).pipe(
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord(env))
  )

const keys = { IPOS_API_KEY: "env-fake-api-key", IPOS_SECRET_KEY: "env-fake-secret" }

describe("Config", () => {
  it("uses the contract's names", () => {
    expect(Object.values(envNames)).toEqual([
      "IPOS_API_KEY",
      "IPOS_SECRET_KEY",
      "IPOS_SCOPE",
      "IPOS_ENV",
      "IPOS_AUTH_URL",
      "IPOS_TOKEN_EXPIRY_MINUTES"
    ])
  })

  it.effect("applies the defaults", () =>
    Effect.gen(function* () {
      const config = yield* load(keys)
      expect(config.scope).toBe("PaymentTokenization")
      expect(config.env).toBe("sandbox")
      expect(config.baseUrl).toBe("https://auth.ipospays.tech")
      expect(config.expiryMinutes).toBeUndefined()
      expect(Redacted.value(config.credentials!.apiKey)).toBe("env-fake-api-key")
      expect(String(config.credentials!.secretKey)).not.toContain("env-fake-secret")
    })
  )

  it.effect("reads every variable", () =>
    Effect.gen(function* () {
      const config = yield* load({
        ...keys,
        IPOS_SCOPE: "Recurring",
        IPOS_ENV: "production",
        IPOS_TOKEN_EXPIRY_MINUTES: "90"
      })
      expect(config).toMatchObject({ scope: "Recurring", env: "production", expiryMinutes: 90 })
      expect(config.baseUrl).toBe("https://auth.ipospays.com")
      const local = yield* load({ ...keys, IPOS_AUTH_URL: "http://127.0.0.1:4010/" })
      expect(local.baseUrl).toBe("http://127.0.0.1:4010")
    })
  )

  it.effect("lets explicit values win", () =>
    Effect.gen(function* () {
      const config = yield* load({ ...keys, IPOS_SCOPE: "Recurring" }, { scope: "BatchReport", expiryMinutes: 30 })
      expect(config.scope).toBe("BatchReport")
      expect(config.expiryMinutes).toBe(30)
    })
  )

  it.each([
    [{ IPOS_SCOPE: "paymentTokenize" }, "IPOS_SCOPE"],
    [{ IPOS_ENV: "staging" }, "IPOS_ENV"],
    [{ IPOS_TOKEN_EXPIRY_MINUTES: "10" }, "IPOS_TOKEN_EXPIRY_MINUTES"],
    [{ IPOS_TOKEN_EXPIRY_MINUTES: "ninety" }, "IPOS_TOKEN_EXPIRY_MINUTES"],
    [{ IPOS_AUTH_URL: "not a url" }, "IPOS_AUTH_URL"]
  ])("names the variable in error: %o", async (env, field) => {
    const error = await Effect.runPromise(Effect.flip(load({ ...keys, ...env })))
    expect(error._tag).toBe("ValidationError")
    expect(error.field).toBe(field)
    expect(error.kind).toBe("validation")
  })

  it.effect("reports half a credential pair and never echoes it", () =>
    Effect.gen(function* () {
      const error: ValidationError = yield* Effect.flip(load({ IPOS_API_KEY: "env-fake-api-key" }))
      expect(error.message).toBe("Invalid IPOS_SECRET_KEY: is missing")
      expect(JSON.stringify(error)).not.toContain("env-fake-api-key")
    })
  )

  it.effect("allows no credentials at all (refresh and decode need none) until they are required", () =>
    Effect.gen(function* () {
      const config = yield* load({})
      expect(config.credentials).toBeUndefined()
      const error = yield* Effect.flip(requireCredentials(config))
      expect(error.message).toContain("IPOS_API_KEY")
    })
  )

  it("validates programmatic configuration with option names", () => {
    const result = makeAuthConfig({ apiKey: "a", secretKey: "b", expiryMinutes: 2000 })
    expect(Result.isFailure(result) && result.failure.message).toBe(
      "Invalid expiryMinutes: 2000 is not an integer from 30 to 1440"
    )
    expect(Result.isSuccess(makeAuthConfig({ apiKey: "a", secretKey: "b", scope: "ExternalApi" }))).toBe(true)
  })
})
