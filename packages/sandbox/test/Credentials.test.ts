import { describe, expect, it } from "vitest"
import { allowedScopes, credentialTable, demoCredentials } from "../src/Credentials.js"
import { matchCredential } from "../src/internal/matchCredential.js"
import { SandboxConfigError } from "../src/SandboxConfigError.js"

describe("Credentials", () => {
  it("allows the scopes the vendor lists per level", () => {
    expect(allowedScopes).toEqual({
      merchant: ["PaymentTokenization", "Recurring", "BatchReport"],
      iso: ["ExternalApi", "PaymentTokenization", "Recurring", "BatchReport"],
      agentOffice: ["ExternalApi"]
    })
  })

  it("has one obviously fake demo credential per level", () => {
    expect(demoCredentials).toEqual([
      {
        level: "merchant",
        apiKey: "demo-merchant-api-key",
        secretKey: "demo-merchant-secret-key",
        scopes: ["PaymentTokenization", "Recurring", "BatchReport"]
      },
      {
        level: "iso",
        apiKey: "demo-iso-api-key",
        secretKey: "demo-iso-secret-key",
        scopes: ["ExternalApi", "PaymentTokenization", "Recurring", "BatchReport"]
      },
      {
        level: "agentOffice",
        apiKey: "demo-agent-office-api-key",
        secretKey: "demo-agent-office-secret-key",
        scopes: ["ExternalApi"]
      }
    ])
  })

  it.each([
    ["an empty table", [], "credentials: at least one credential is required"],
    [
      "an unknown level",
      [{ level: "partner", apiKey: "k", secretKey: "s" }],
      "credentials[0].level must be one of merchant, iso, agentOffice"
    ],
    [
      "an empty apiKey",
      [{ level: "iso", apiKey: "", secretKey: "s" }],
      "credentials[0].apiKey must be a non-empty string without surrounding spaces"
    ],
    [
      "a secretKey with surrounding spaces",
      [{ level: "iso", apiKey: "k", secretKey: " s " }],
      "credentials[0].secretKey must be a non-empty string without surrounding spaces"
    ],
    [
      "an apiKey used twice",
      [
        { level: "iso", apiKey: "same-key", secretKey: "s1" },
        { level: "merchant", apiKey: "same-key", secretKey: "s2" }
      ],
      "credentials[1].apiKey is used by another credential"
    ]
  ])("refuses %s, without echoing a key", (_, inputs, message) => {
    expect(() => credentialTable(inputs as never)).toThrow(new SandboxConfigError(message))
  })

  describe("matchCredential", () => {
    it.each([
      ["both keys right", "demo-iso-api-key", "demo-iso-secret-key", "iso"],
      ["a wrong secret", "demo-iso-api-key", "demo-merchant-secret-key", undefined],
      ["an unknown key", "nobody", "demo-iso-secret-key", undefined],
      ["another level's secret prefix", "demo-iso-api-key", "demo-iso-secret-key ", undefined]
    ])("%s", (_, apiKey, secretKey, level) => {
      expect(matchCredential(demoCredentials, apiKey, secretKey)?.level).toBe(level)
    })
  })
})
