import { describe, expect, it } from "@effect/vitest"
import {
  ApiKeyRequired,
  authErrorHints,
  authErrorTags,
  ExpiryTooLong,
  ExpiryTooShort,
  hintFor,
  InvalidCredentials,
  InvalidScope,
  InvalidSignature,
  InvalidToken,
  isAuthRejection,
  isTokenRefused,
  makeRejection,
  RefreshFlagRequired,
  ScopeRequired,
  SecretKeyRequired,
  TokenNotRefreshable,
  UnknownAuthError
} from "../src/AuthError.js"

// Every documented code, its class and the message the vendor documents.
const documented = [
  ["AUTH_ERR_001", ApiKeyRequired, "API Key is required."],
  ["AUTH_ERR_002", SecretKeyRequired, "Secret Key is required."],
  ["AUTH_ERR_003", ScopeRequired, "Scope is required."],
  ["AUTH_ERR_004", InvalidCredentials, "Invalid Credentials, Please Contact Support Team."],
  ["AUTH_ERR_005", InvalidScope, "Invalid scope provided. Please use a valid scope."],
  ["AUTH_ERR_006", InvalidToken, "Invalid Token, Please try with a Valid Token."],
  ["AUTH_ERR_007", TokenNotRefreshable, "Invalid Token, Please try with a Valid Token."],
  ["AUTH_ERR_008", InvalidSignature, "Invalid Signature."],
  ["AUTH_ERR_009", RefreshFlagRequired, "Refresh Token needs to be true in the Header."],
  ["AUTH_ERR_011", ExpiryTooShort, "Minimum expiry time cannot be less than 30 minutes."],
  ["AUTH_ERR_012", ExpiryTooLong, "Maximum expiry time cannot be more than 24 hours."]
] as const

describe("AuthError", () => {
  it.each(documented)("%s maps to its own class", (code, Class, serverMessage) => {
    const error = makeRejection(code, serverMessage, 200)
    expect(error).toBeInstanceOf(Class)
    expect(error._tag).toBe(authErrorTags[code])
    expect(error.code).toBe(code)
    expect(error.serverMessage).toBe(serverMessage)
    expect(error.status).toBe(200)
    expect(error.kind).toBe("rejected")
    expect(error.retryable).toBe(false)
    expect(error.message).toBe(`${code}: ${serverMessage}`)
    expect(error.hint).toBe(authErrorHints[code])
    expect(String(error)).toBe(`${Class.name}: ${code}: ${serverMessage}`)
    expect(isAuthRejection(error)).toBe(true)
  })

  it("keeps an undocumented code verbatim", () => {
    for (const code of ["AUTH_ERR_010", "AUTH_ERR_013", "AUTH_ERR_999"]) {
      const error = makeRejection(code, "Something new happened.")
      expect(error).toBeInstanceOf(UnknownAuthError)
      expect(error.code).toBe(code)
      expect(error.serverMessage).toBe("Something new happened.")
      expect(error.message).toBe(`${code}: Something new happened.`)
      expect(error.kind).toBe("rejected")
      expect(error.hint).toBeUndefined()
      expect(isAuthRejection(error)).toBe(true)
    }
  })

  it("says something useful when the server's message is empty", () => {
    expect(makeRejection("AUTH_ERR_004", "").message).toBe("AUTH_ERR_004: refused by iPOSpays")
  })

  it("lists the scopes per credential level in the AUTH_ERR_005 hint", () => {
    expect(hintFor("AUTH_ERR_005")).toContain("merchant — PaymentTokenization, Recurring, BatchReport")
    expect(hintFor("AUTH_ERR_005")).toContain("Agent Office — ExternalApi")
    expect(hintFor("AUTH_ERR_010")).toBeUndefined()
    expect(hintFor("toString")).toBeUndefined()
  })

  it("tells which refusals mean the token cannot be refreshed", () => {
    const refused = documented.filter(([code]) => isTokenRefused(makeRejection(code, "x"))).map(([code]) => code)
    expect(refused).toEqual(["AUTH_ERR_006", "AUTH_ERR_007", "AUTH_ERR_008"])
  })

  it("serialises to JSON without surprises", () => {
    const error = makeRejection("AUTH_ERR_008", "Invalid Signature.", 401)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      _tag: "InvalidSignature",
      code: "AUTH_ERR_008",
      serverMessage: "Invalid Signature.",
      status: 401,
      kind: "rejected",
      retryable: false
    })
  })

  it("does not mistake other values for refusals", () => {
    expect(isAuthRejection(new Error("x"))).toBe(false)
    expect(isAuthRejection({ _tag: "Timeout" })).toBe(false)
    expect(isAuthRejection(null)).toBe(false)
  })
})
