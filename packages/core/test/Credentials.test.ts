import { inspect } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { credentialsId, makeCredentials } from "../src/Credentials.js"

describe("Credentials", () => {
  it("wraps both keys as Redacted", () => {
    const credentials = Result.getOrThrow(makeCredentials({ apiKey: "fake-api-key-1", secretKey: "fake-secret-1" }))
    expect(Redacted.value(credentials.apiKey)).toBe("fake-api-key-1")
    expect(Redacted.value(credentials.secretKey)).toBe("fake-secret-1")
    const printed = [String(credentials.secretKey), JSON.stringify(credentials), inspect(credentials)].join(" ")
    expect(printed).not.toContain("fake-secret-1")
    expect(printed).not.toContain("fake-api-key-1")
  })

  it("accepts Redacted input", () => {
    const credentials = makeCredentials({ apiKey: Redacted.make("fake-api"), secretKey: Redacted.make("fake-secret") })
    expect(Result.isSuccess(credentials)).toBe(true)
  })

  it("names the missing key", () => {
    const result = makeCredentials({ apiKey: "fake-api" })
    expect(Result.isFailure(result) && result.failure.field).toBe("secretKey")
    const fromEnv = makeCredentials({ secretKey: "x" }, { apiKey: "IPOS_API_KEY", secretKey: "IPOS_SECRET_KEY" })
    expect(Result.isFailure(fromEnv) && fromEnv.failure.message).toBe("Invalid IPOS_API_KEY: is missing")
  })

  it("identifies a credential set by a short hash, not by the key", () => {
    const a = Result.getOrThrow(makeCredentials({ apiKey: "fake-api-key-a", secretKey: "s" }))
    const b = Result.getOrThrow(makeCredentials({ apiKey: "fake-api-key-b", secretKey: "s" }))
    // FNV-1a of "fake-api-key-a\0s": the same in every process, so metric series survive restarts.
    expect(credentialsId(a)).toBe("e289cf58")
    expect(credentialsId(a)).not.toBe(credentialsId(b))
    expect(credentialsId(a)).toBe(credentialsId(a))
    const sameApiKey = Result.getOrThrow(makeCredentials({ apiKey: "fake-api-key-a", secretKey: "t" }))
    expect(credentialsId(sameApiKey)).not.toBe(credentialsId(a))
  })

  it("refuses empty keys given as Redacted values", () => {
    const result = makeCredentials({ apiKey: Redacted.make("fake-api"), secretKey: Redacted.make("") })
    expect(Result.isFailure(result) && result.failure.message).toBe("Invalid secretKey: is missing")
  })
})
