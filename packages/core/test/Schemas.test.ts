import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import type { AuthError, Scope as GeneratedScope, TokenResponse as GeneratedTokenResponse } from "@ipos/auth-client"
import { namedExamples } from "@ipos/testing"
import * as Schema from "effect/Schema"
import { scopes } from "../src/internal/wire.js"
import { AuthErrorBody, type Scope, type SpecConformance, TokenResponse } from "../src/Schemas.js"

describe("Schemas", () => {
  it("decodes every named example of the spec as a token or a refusal", () => {
    for (const example of namedExamples()) {
      const isToken = Schema.is(TokenResponse)(example.value)
      const isError = Schema.is(AuthErrorBody)(example.value)
      expect(isToken !== isError).toBe(true)
      expect(isToken).toBe(["LongLived", "LongLivedRefreshed", "Refreshed", "Success"].includes(example.name))
    }
  })

  it("refuses near misses", () => {
    const ok = { responseCode: "00", responseMessage: "Success", createdDt: "1749532846158", token: "a.b.c" }
    expect(Schema.is(TokenResponse)(ok)).toBe(true)
    expect(Schema.is(TokenResponse)({ ...ok, responseCode: "01" })).toBe(false)
    expect(Schema.is(TokenResponse)({ ...ok, createdDt: 1749532846158 })).toBe(false)
    expect(Schema.is(TokenResponse)({ ...ok, createdDt: "soon" })).toBe(false)
    expect(Schema.is(TokenResponse)({ ...ok, token: "not-a-jwt" })).toBe(false)
    expect(Schema.is(AuthErrorBody)({ errorCode: "AUTH_ERR_13", errorMessage: "x" })).toBe(false)
    expect(Schema.is(AuthErrorBody)({ errorCode: "AUTH_ERR_013", errorMessage: "x" })).toBe(true)
  })

  it("matches the generated client's types exactly", () => {
    expectTypeOf<SpecConformance>().toEqualTypeOf<[true, true, true, true, true, true]>()
    expectTypeOf<typeof TokenResponse.Type>().toEqualTypeOf<Readonly<GeneratedTokenResponse>>()
    expectTypeOf<typeof AuthErrorBody.Type>().toEqualTypeOf<Readonly<AuthError>>()
    expectTypeOf<typeof Scope.Type>().toEqualTypeOf<GeneratedScope>()
    expect(scopes).toEqual(["PaymentTokenization", "Recurring", "BatchReport", "ExternalApi"])
  })
})
