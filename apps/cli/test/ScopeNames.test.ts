import { describe, expect, it } from "vitest"
import { publicScopeName } from "../src/ScopeNames.js"

describe("publicScopeName", () => {
  it.each([
    ["paymentTokenize", "PaymentTokenization"],
    ["recurring", "Recurring"],
    ["batchReport", "BatchReport"],
    ["externalApi", "ExternalApi"],
    ["somethingNew", "somethingNew"],
    [undefined, undefined]
  ])("%s → %s", (claim, scope) => {
    expect(publicScopeName(claim)).toBe(scope)
  })
})
