import { describe, expect, it } from "@effect/vitest"
import * as Result from "effect/Result"
import {
  ValidationError,
  validateBaseUrl,
  validateCredential,
  validateEnvironment,
  validateExpiryMinutes,
  validateScope,
  validateToken
} from "../src/ValidationError.js"

const failure = <A>(result: Result.Result<A, ValidationError>): ValidationError => {
  if (Result.isSuccess(result)) throw new Error("expected a failure")
  return result.failure
}

describe("ValidationError", () => {
  it.each([
    [30, true],
    [1440, true],
    [60, true],
    [29, false],
    [1441, false],
    [60.5, false],
    [Number.NaN, false],
    ["60", false]
  ] as const)("expiry %s valid: %s", (value, valid) => {
    expect(Result.isSuccess(validateExpiryMinutes(value))).toBe(valid)
  })

  it("names the field and the range", () => {
    const error = failure(validateExpiryMinutes(5, "IPOS_TOKEN_EXPIRY_MINUTES"))
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.kind).toBe("validation")
    expect(error.retryable).toBe(false)
    expect(error.message).toBe("Invalid IPOS_TOKEN_EXPIRY_MINUTES: 5 is not an integer from 30 to 1440")
  })

  it("accepts the four scopes only", () => {
    for (const scope of ["PaymentTokenization", "Recurring", "BatchReport", "ExternalApi"]) {
      expect(Result.getOrThrow(validateScope(scope))).toBe(scope)
    }
    expect(failure(validateScope("paymentTokenize")).message).toBe(
      "Invalid scope: must be one of PaymentTokenization, Recurring, BatchReport, ExternalApi (value not shown)"
    )
  })

  it("does not echo a value that could be a secret pasted in the wrong place", () => {
    const error = failure(validateScope("sk_live_0123456789abcdef0123456789abcdef0123"))
    expect(error.message).not.toContain("sk_live")
    expect(failure(validateEnvironment("staging")).message).toBe(
      "Invalid env: must be one of sandbox, production (value not shown)"
    )
  })

  it("checks credentials without echoing them", () => {
    expect(failure(validateCredential(undefined, "apiKey")).message).toBe("Invalid apiKey: is missing")
    expect(failure(validateCredential("", "IPOS_SECRET_KEY")).message).toBe("Invalid IPOS_SECRET_KEY: is missing")
    const error = failure(validateCredential("secret with space", "secretKey"))
    expect(error.message).not.toContain("secret with space")
    expect(failure(validateCredential("line\nbreak", "apiKey")).reason).toContain("control")
    expect(Result.isSuccess(validateCredential("abc-DEF_123.~", "apiKey"))).toBe(true)
  })

  it("checks the shape of a token to refresh without echoing it", () => {
    expect(Result.isSuccess(validateToken("aaa.bbb.ccc"))).toBe(true)
    const error = failure(validateToken("not-a-jwt-but-a-secret"))
    expect(error.message).toBe("Invalid token: is not a JWT (three base64url segments; value not shown)")
    expect(failure(validateToken("")).message).toBe("Invalid token: is missing")
  })

  it.each([
    ["http://127.0.0.1:4010/", "http://127.0.0.1:4010"],
    ["https://auth.ipospays.tech", "https://auth.ipospays.tech"],
    ["https://gateway.example/auth/", "https://gateway.example/auth"]
  ])("normalises base URL %s", (input, expected) => {
    expect(Result.getOrThrow(validateBaseUrl(input))).toBe(expected)
  })

  it.each([
    ["relative", "/v1", "is not an absolute URL"],
    ["ftp", "ftp://example.test", "must use http: or https:"],
    ["credentials", "https://user:pass@example.test", "must not contain credentials"],
    ["query", "https://example.test/?a=1", "must not have a query or a fragment"]
  ])("refuses a %s base URL", (_, input, reason) => {
    expect(failure(validateBaseUrl(input, "IPOS_AUTH_URL")).message).toBe(`Invalid IPOS_AUTH_URL: ${reason}`)
  })
})
