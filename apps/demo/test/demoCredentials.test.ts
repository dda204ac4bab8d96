import { allowedScopes, demoCredentials as sandboxCredentials } from "@ipos/auth-sandbox"
import { describe, expect, it } from "vitest"
import { demoCredentials } from "../src/demoCredentials.js"

describe("demoCredentials", () => {
  it("are the sandbox's demo credentials, merchant first, with the scopes each level may use", () => {
    expect(demoCredentials.map(({ level, apiKey, secretKey }) => ({ level, apiKey, secretKey }))).toEqual(
      sandboxCredentials.map(({ level, apiKey, secretKey }) => ({ level, apiKey, secretKey }))
    )
    for (const credential of demoCredentials) {
      expect([...credential.scopes].sort()).toEqual([...allowedScopes[credential.level]].sort())
    }
  })
})
