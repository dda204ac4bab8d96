import { describe, expect, it } from "vitest"
import { demoCredentials } from "../src/Credentials.js"
import { sandboxEnv, sandboxOptionsFromEnv } from "../src/Env.js"
import { undocumentedErrorMessage } from "../src/Faults.js"
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
        IPOS_SANDBOX_DELAY_MS: "250",
        IPOS_SANDBOX_OUTAGE_SECONDS: "30",
        IPOS_SANDBOX_FAIL_NEXT: "3:503",
        IPOS_SANDBOX_RATE_LIMIT: "2:30",
        IPOS_SANDBOX_MALFORMED: "1:html",
        IPOS_SANDBOX_AUTH_ERROR: "1:AUTH_ERR_013"
      })
    ).toEqual({
      port: 8788,
      host: "0.0.0.0",
      errorStatus: 401,
      tokenLifetimeSeconds: 5,
      corsOrigin: ["http://localhost:5173", "http://127.0.0.1:5173"],
      refreshExpired: false,
      faults: {
        delayMs: 250,
        outage: { seconds: 30 },
        failNext: { count: 3, status: 503, reset: false },
        rateLimit: { count: 2, retryAfterSeconds: 30 },
        malformed: { count: 1, kind: "html" },
        authError: { count: 1, errorCode: "AUTH_ERR_013", errorMessage: undocumentedErrorMessage }
      }
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
    ["IPOS_SANDBOX_PORT", "80a", 'IPOS_SANDBOX_PORT must be an integer from 0 to 65535 (got "80a")'],
    ["IPOS_SANDBOX_PORT", "70000", 'IPOS_SANDBOX_PORT must be an integer from 0 to 65535 (got "70000")'],
    [
      "IPOS_SANDBOX_ERROR_STATUS",
      "500",
      'IPOS_SANDBOX_ERROR_STATUS must be 200 or an integer from 400 to 499 (got "500")'
    ],
    [
      "IPOS_SANDBOX_ERROR_STATUS",
      "4xx",
      'IPOS_SANDBOX_ERROR_STATUS must be 200 or an integer from 400 to 499 (got "4xx")'
    ],
    [
      "IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS",
      "-1",
      'IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS must be an integer from 1 to 86400 (got "-1")'
    ],
    [
      "IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS",
      "0",
      'IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS must be an integer from 1 to 86400 (got "0")'
    ],
    ["IPOS_SANDBOX_REFRESH_EXPIRED", "maybe", 'IPOS_SANDBOX_REFRESH_EXPIRED must be true or false (got "maybe")'],
    [
      "IPOS_SANDBOX_CORS_ORIGIN",
      "http://localhost:5173, localhost",
      'IPOS_SANDBOX_CORS_ORIGIN must be "*" or origins like http://localhost:5173 (got "localhost")'
    ],
    [
      "IPOS_SANDBOX_ALLOWED_ORIGINS",
      "null",
      'IPOS_SANDBOX_ALLOWED_ORIGINS must be "*" or origins like http://localhost:5173 (got "null")'
    ],
    [
      "IPOS_SANDBOX_ALLOWED_HOSTS",
      "sandbox, http://sandbox:8080",
      'IPOS_SANDBOX_ALLOWED_HOSTS must be "*" or host names like sandbox.internal (no scheme, port or path) (got "http://sandbox:8080")'
    ]
  ])("refuses %s=%j, naming the variable and what it holds", (name, value, message) => {
    expect(() => sandboxOptionsFromEnv({ [name]: value })).toThrow(new SandboxConfigError(message))
  })

  it("reads the control API's allow-lists", () => {
    expect(
      sandboxOptionsFromEnv({
        IPOS_SANDBOX_ALLOWED_ORIGINS: "https://app.example, http://10.0.0.5:3000",
        IPOS_SANDBOX_ALLOWED_HOSTS: "sandbox,*"
      })
    ).toEqual({ allowedOrigins: ["https://app.example", "http://10.0.0.5:3000"], allowedHosts: ["sandbox", "*"] })
  })

  it.each<[string, string, unknown]>([
    ["IPOS_SANDBOX_DELAY_MS", "0", { delayMs: 0 }],
    ["IPOS_SANDBOX_DELAY_MS", "60000", { delayMs: 60_000 }],
    ["IPOS_SANDBOX_OUTAGE_SECONDS", "30", { outage: { seconds: 30 } }],
    ["IPOS_SANDBOX_OUTAGE_SECONDS", " 1.5 ", { outage: { seconds: 1.5 } }],
    ["IPOS_SANDBOX_FAIL_NEXT", "3", { failNext: { count: 3, status: 502, reset: false } }],
    ["IPOS_SANDBOX_FAIL_NEXT", "3:503", { failNext: { count: 3, status: 503, reset: false } }],
    ["IPOS_SANDBOX_FAIL_NEXT", "1 : 429", { failNext: { count: 1, status: 429, reset: false } }],
    ["IPOS_SANDBOX_FAIL_NEXT", "3:reset", { failNext: { count: 3, status: 502, reset: true } }],
    ["IPOS_SANDBOX_FAIL_NEXT", "2:RESET", { failNext: { count: 2, status: 502, reset: true } }],
    ["IPOS_SANDBOX_RATE_LIMIT", "2", { rateLimit: { count: 2, retryAfterSeconds: 1 } }],
    ["IPOS_SANDBOX_RATE_LIMIT", "2:30", { rateLimit: { count: 2, retryAfterSeconds: 30 } }],
    ["IPOS_SANDBOX_RATE_LIMIT", "1:0", { rateLimit: { count: 1, retryAfterSeconds: 0 } }],
    ["IPOS_SANDBOX_MALFORMED", "1", { malformed: { count: 1, kind: "truncated-json" } }],
    ["IPOS_SANDBOX_MALFORMED", "1:html", { malformed: { count: 1, kind: "html" } }],
    ["IPOS_SANDBOX_MALFORMED", "4:empty", { malformed: { count: 4, kind: "empty" } }],
    ["IPOS_SANDBOX_MALFORMED", "2:truncated-json", { malformed: { count: 2, kind: "truncated-json" } }],
    [
      "IPOS_SANDBOX_AUTH_ERROR",
      "1",
      { authError: { count: 1, errorCode: "AUTH_ERR_013", errorMessage: undocumentedErrorMessage } }
    ],
    [
      "IPOS_SANDBOX_AUTH_ERROR",
      "1:AUTH_ERR_013",
      { authError: { count: 1, errorCode: "AUTH_ERR_013", errorMessage: undocumentedErrorMessage } }
    ],
    [
      "IPOS_SANDBOX_AUTH_ERROR",
      "2:AUTH_ERR_004",
      {
        authError: {
          count: 2,
          errorCode: "AUTH_ERR_004",
          errorMessage: "Invalid Credentials, Please Contact Support Team."
        }
      }
    ],
    [
      "IPOS_SANDBOX_AUTH_ERROR",
      "1:AUTH_ERR_020:Merchant is inactive: call support.",
      { authError: { count: 1, errorCode: "AUTH_ERR_020", errorMessage: "Merchant is inactive: call support." } }
    ]
  ])("reads %s=%j as the start-up faults %j", (name, value, faults) => {
    expect(sandboxOptionsFromEnv({ [name]: value })).toEqual({ faults })
  })

  it.each([
    ["IPOS_SANDBOX_DELAY_MS", "fast", "IPOS_SANDBOX_DELAY_MS must be a whole number"],
    ["IPOS_SANDBOX_DELAY_MS", "60001", "IPOS_SANDBOX_DELAY_MS: faults.delayMs must be an integer from 0 to 60000"],
    ["IPOS_SANDBOX_OUTAGE_SECONDS", "30s", "IPOS_SANDBOX_OUTAGE_SECONDS must be a number of seconds, e.g. 30 or 1.5"],
    ["IPOS_SANDBOX_OUTAGE_SECONDS", "-5", "IPOS_SANDBOX_OUTAGE_SECONDS must be a number of seconds, e.g. 30 or 1.5"],
    [
      "IPOS_SANDBOX_OUTAGE_SECONDS",
      "0",
      "IPOS_SANDBOX_OUTAGE_SECONDS: faults.outage.seconds must be a number of seconds above 0 and at most 86400"
    ],
    [
      "IPOS_SANDBOX_OUTAGE_SECONDS",
      "86401",
      "IPOS_SANDBOX_OUTAGE_SECONDS: faults.outage.seconds must be a number of seconds above 0 and at most 86400"
    ],
    ...["x", "3:", ":503", "3:503:1", "3:close", "3;503", "-1"].map((value) => [
      "IPOS_SANDBOX_FAIL_NEXT",
      value,
      "IPOS_SANDBOX_FAIL_NEXT must be COUNT, COUNT:STATUS or COUNT:reset, e.g. 3, 3:503 or 3:reset"
    ]),
    [
      "IPOS_SANDBOX_FAIL_NEXT",
      "0",
      "IPOS_SANDBOX_FAIL_NEXT: faults.failNext.count must be an integer from 1 to 1000000"
    ],
    [
      "IPOS_SANDBOX_FAIL_NEXT",
      "3:302",
      "IPOS_SANDBOX_FAIL_NEXT: faults.failNext.status must be an integer from 400 to 599"
    ],
    ...["many", "2:", "2:30s", "2:30:1", ":30"].map((value) => [
      "IPOS_SANDBOX_RATE_LIMIT",
      value,
      "IPOS_SANDBOX_RATE_LIMIT must be COUNT or COUNT:RETRY_AFTER_SECONDS, e.g. 2 or 2:30"
    ]),
    [
      "IPOS_SANDBOX_RATE_LIMIT",
      "2:86401",
      "IPOS_SANDBOX_RATE_LIMIT: faults.rateLimit.retryAfterSeconds must be an integer from 0 to 86400"
    ],
    ...["html", "1:", ":html"].map((value) => [
      "IPOS_SANDBOX_MALFORMED",
      value,
      "IPOS_SANDBOX_MALFORMED must be COUNT or COUNT:KIND, e.g. 1 or 1:html"
    ]),
    [
      "IPOS_SANDBOX_MALFORMED",
      "1:xml",
      "IPOS_SANDBOX_MALFORMED: faults.malformed.kind must be truncated-json, empty, html"
    ],
    ...["AUTH_ERR_013", "1:", "1:AUTH_ERR_013:", "1::Message"].map((value) => [
      "IPOS_SANDBOX_AUTH_ERROR",
      value,
      "IPOS_SANDBOX_AUTH_ERROR must be COUNT, COUNT:CODE or COUNT:CODE:MESSAGE, e.g. 1 or 1:AUTH_ERR_013"
    ]),
    [
      "IPOS_SANDBOX_AUTH_ERROR",
      "1:ERR_13",
      "IPOS_SANDBOX_AUTH_ERROR: faults.authError.errorCode must look like AUTH_ERR_ and three digits"
    ]
  ])("refuses %s=%j, naming the variable, the expected shape and what it holds", (name, value, message) => {
    expect(() => sandboxOptionsFromEnv({ [name]: value })).toThrow(
      new SandboxConfigError(`${message} (got ${JSON.stringify(value)})`)
    )
  })

  it("shows at most 60 characters of what was typed", () => {
    expect(() => sandboxOptionsFromEnv({ IPOS_SANDBOX_AUTH_ERROR: `1:AUTH_ERR_013:${"m".repeat(501)}` })).toThrow(
      new SandboxConfigError(
        `IPOS_SANDBOX_AUTH_ERROR: faults.authError.errorMessage must be a string of 1 to 500 characters (got "1:AUTH_ERR_013:${"m".repeat(45)}…")`
      )
    )
  })

  it("never shows a value that holds a key: the sandbox's own or the client's", () => {
    const hidden = " (got a value that holds a key: not shown)"
    expect(() =>
      sandboxOptionsFromEnv({
        IPOS_SANDBOX_MERCHANT_SECRET_KEY: "team-merchant-secret",
        IPOS_SANDBOX_AUTH_ERROR: "1:team-merchant-secret"
      })
    ).toThrow(
      new SandboxConfigError(
        `IPOS_SANDBOX_AUTH_ERROR: faults.authError.errorCode must look like AUTH_ERR_ and three digits${hidden}`
      )
    )
    expect(() =>
      sandboxOptionsFromEnv({ IPOS_SECRET_KEY: "real-secret-4711", IPOS_SANDBOX_PORT: "real-secret-4711" })
    ).toThrow(new SandboxConfigError(`IPOS_SANDBOX_PORT must be an integer from 0 to 65535${hidden}`))
    expect(() =>
      sandboxOptionsFromEnv({ IPOS_API_KEY: "real-api-key", IPOS_SANDBOX_ALLOWED_HOSTS: "x/real-api-key" })
    ).toThrow(
      new SandboxConfigError(
        `IPOS_SANDBOX_ALLOWED_HOSTS must be "*" or host names like sandbox.internal (no scheme, port or path)${hidden}`
      )
    )
  })

  it("ignores empty fault variables", () => {
    expect(
      sandboxOptionsFromEnv({
        IPOS_SANDBOX_OUTAGE_SECONDS: "",
        IPOS_SANDBOX_FAIL_NEXT: " ",
        IPOS_SANDBOX_RATE_LIMIT: "",
        IPOS_SANDBOX_MALFORMED: "",
        IPOS_SANDBOX_AUTH_ERROR: ""
      })
    ).toEqual({})
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
    expect(Object.values(sandboxEnv)).toHaveLength(21)
  })
})
