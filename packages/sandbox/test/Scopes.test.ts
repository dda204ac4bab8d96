import { describe, expect, it } from "vitest"
import { internalScopeNames, isScope, scopes } from "../src/Scopes.js"

describe("Scopes", () => {
  it("lists the spec's enum in order", () => {
    expect(scopes).toEqual(["PaymentTokenization", "Recurring", "BatchReport", "ExternalApi"])
  })

  it("maps each scope to its internal claim name, paymentTokenize as in the vendor's samples", () => {
    expect(internalScopeNames).toEqual({
      PaymentTokenization: "paymentTokenize",
      Recurring: "recurring",
      BatchReport: "batchReport",
      ExternalApi: "externalApi"
    })
  })

  it.each([
    ["PaymentTokenization", true],
    ["ExternalApi", true],
    ["paymentTokenize", false],
    ["recurring", false],
    ["Settlement", false],
    ["", false]
  ] as const)("isScope(%j) is %s", (value, want) => {
    expect(isScope(value)).toBe(want)
  })
})
