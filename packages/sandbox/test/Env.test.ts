import { describe, expect, it } from "vitest"
import { demoCredentials } from "../src/Credentials.js"
import { sandboxEnv, sandboxOptionsFromEnv } from "../src/Env.js"
import { SandboxConfigError } from "../src/SandboxConfigError.js"

describe("sandboxOptionsFromEnv", () => {
  it("returns no options when nothing is set, and ignores empty variables", () => {
    expect(sandboxOptionsFromEnv({})).toEqual({})
    expect(sandboxOptionsFromEnv({ IPOS_SANDBOX_PORT: "", IPOS_SANDBOX_HOST: "  " })).toEqual({})
  })

  it("ignores the client's own variables: real keys never become sandbox credentials", () => {
    expect(sandboxOptionsFromEnv({ IPOS_API_KEY: "k", IPOS_SECRET_KEY: "s", IPOS_AUTH_URL: "http://x" })).toEqual({})
  })

  it("reads every setting", () => {
    expect(
      sandboxOptionsFromEnv({
        IPOS_SANDBOX_PORT: "8788",
        IPOS_SANDBOX_HOST: "0.0.0.0",
        IPOS_SANDBOX_ERROR_STATUS: "401",
        IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS: "5",
        IPOS_SANDBOX_CORS_ORIGIN: "http://localhost:5173, http://127.0.0.1:5173",
        IPOS_SANDBOX_REFRESH_EXPIRED: "false",
        IPOS_SANDBOX_DELAY_MS: "250"
      })
    ).toEqual({
      port: 8788,
      host: "0.0.0.0",
      errorStatus: 401,
      tokenLifetimeSeconds: 5,
      corsOrigin: ["http://localhost:5173", "http://127.0.0.1:5173"],
      refreshExpired: false,
      faults: { delayMs: 250 }
    })
  })

  it("replaces one level's demo keys and keeps the others", () => {
    const options = sandboxOptionsFromEnv({
      IPOS_SANDBOX_ISO_API_KEY: "team-iso-key",
      IPOS_SANDBOX_ISO_SECRET_KEY: "team-iso-secret"
    })
    expect(options.credentials).toEqual([
      { level: "merchant", apiKey: "demo-merchant-api-key", secretKey: "demo-merchant-secret-key" },
      { level: "iso", apiKey: "team-iso-key", secretKey: "team-iso-secret" },
      { level: "agentOffice", apiKey: "demo-agent-office-api-key", secretKey: "demo-agent-office-secret-key" }
    ])
    expect(demoCredentials[1]?.apiKey).toBe("demo-iso-api-key")
  })

  it.each([
    ["IPOS_SANDBOX_PORT", "80a", "IPOS_SANDBOX_PORT must be a whole number"],
    ["IPOS_SANDBOX_ERROR_STATUS", "4xx", "IPOS_SANDBOX_ERROR_STATUS must be a whole number"],
    ["IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS", "-1", "IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS must be a whole number"],
    ["IPOS_SANDBOX_REFRESH_EXPIRED", "maybe", "IPOS_SANDBOX_REFRESH_EXPIRED must be true or false"]
  ])("refuses a malformed %s, naming it", (name, value, message) => {
    expect(() => sandboxOptionsFromEnv({ [name]: value })).toThrow(new SandboxConfigError(message))
  })

  it.each([
    ["true", true],
    ["1", true],
    ["YES", true],
    ["false", false],
    ["0", false],
    ["no", false]
  ])("reads IPOS_SANDBOX_REFRESH_EXPIRED=%s as %s", (value, want) => {
    expect(sandboxOptionsFromEnv({ IPOS_SANDBOX_REFRESH_EXPIRED: value }).refreshExpired).toBe(want)
  })

  it("names every variable with the IPOS_SANDBOX_ prefix", () => {
    expect(Object.values(sandboxEnv).every((name) => name.startsWith("IPOS_SANDBOX_"))).toBe(true)
    expect(Object.values(sandboxEnv)).toHaveLength(13)
  })
})
