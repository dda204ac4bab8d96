import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { authErrorMessages } from "../../src/AuthErrors.js"
import { demoCredentials } from "../../src/Credentials.js"
import { type AuthenticateHeaders, decideAuthenticate, expiryMinutes } from "../../src/routes/authenticate.js"
import { type Sandbox, startSandbox } from "../../src/Sandbox.js"
import { authenticate, claimsOf, keysOf, manualClock, merchant } from "../support.js"

const headers = (given: Partial<AuthenticateHeaders>): AuthenticateHeaders => ({
  apiKey: merchant.apiKey,
  secretKey: merchant.secretKey,
  scope: merchant.scope,
  jwtTokenExpiryMinutes: undefined,
  ...given
})
const codeOf = (given: Partial<AuthenticateHeaders>) => {
  const decision = decideAuthenticate(headers(given), demoCredentials)
  return decision._tag === "Refuse" ? decision.code : `Grant ${decision.credential.level} ${decision.minutes}`
}

describe("expiryMinutes", () => {
  it.each<[string | undefined, unknown]>([
    [undefined, { _tag: "Minutes", minutes: 1440 }],
    ["", { _tag: "Minutes", minutes: 1440 }],
    ["30", { _tag: "Minutes", minutes: 30 }],
    ["1440", { _tag: "Minutes", minutes: 1440 }],
    ["+60", { _tag: "Minutes", minutes: 60 }],
    [" 90 ", { _tag: "Minutes", minutes: 90 }],
    ["29", { _tag: "Refuse", code: "AUTH_ERR_011" }],
    ["0", { _tag: "Refuse", code: "AUTH_ERR_011" }],
    ["-60", { _tag: "Refuse", code: "AUTH_ERR_011" }],
    ["1441", { _tag: "Refuse", code: "AUTH_ERR_012" }],
    ["99999999999999999999", { _tag: "Refuse", code: "AUTH_ERR_012" }],
    ["60.5", { _tag: "Refuse", code: "AUTH_ERR_011" }],
    ["1e3", { _tag: "Refuse", code: "AUTH_ERR_011" }],
    ["abc", { _tag: "Refuse", code: "AUTH_ERR_011" }],
    ["60, 60", { _tag: "Refuse", code: "AUTH_ERR_011" }]
  ])("reads %j", (value, want) => {
    expect(expiryMinutes(value)).toEqual(want)
  })
})

describe("decideAuthenticate", () => {
  it.each<[string, Partial<AuthenticateHeaders>, string]>([
    ["everything right", {}, "Grant merchant 1440"],
    ["an expiry in range", { jwtTokenExpiryMinutes: "45" }, "Grant merchant 45"],
    ["no apiKey", { apiKey: undefined }, "AUTH_ERR_001"],
    ["an empty apiKey", { apiKey: "" }, "AUTH_ERR_001"],
    ["no secretKey", { secretKey: undefined }, "AUTH_ERR_002"],
    ["no scope", { scope: undefined }, "AUTH_ERR_003"],
    ["an empty scope", { scope: "" }, "AUTH_ERR_003"],
    ["expiry 29", { jwtTokenExpiryMinutes: "29" }, "AUTH_ERR_011"],
    ["expiry 1441", { jwtTokenExpiryMinutes: "1441" }, "AUTH_ERR_012"],
    ["a wrong secret", { secretKey: "demo-iso-secret-key" }, "AUTH_ERR_004"],
    ["an unknown apiKey", { apiKey: "someone-else" }, "AUTH_ERR_004"],
    ["an unknown scope", { scope: "Settlement" }, "AUTH_ERR_005"],
    ["a scope in the wrong case", { scope: "paymentTokenization" }, "AUTH_ERR_005"],
    ["merchant asking for ExternalApi", { scope: "ExternalApi" }, "AUTH_ERR_005"],
    ["agent office asking for Recurring", { ...keysOf("agentOffice"), scope: "Recurring" }, "AUTH_ERR_005"],
    [
      "agent office asking for ExternalApi",
      { ...keysOf("agentOffice"), scope: "ExternalApi" },
      "Grant agentOffice 1440"
    ],
    ["ISO asking for ExternalApi", { ...keysOf("iso"), scope: "ExternalApi" }, "Grant iso 1440"],
    // precedence
    ["no apiKey and no secretKey", { apiKey: undefined, secretKey: undefined }, "AUTH_ERR_001"],
    ["no secretKey and no scope", { secretKey: undefined, scope: undefined }, "AUTH_ERR_002"],
    ["no scope and expiry 10", { scope: undefined, jwtTokenExpiryMinutes: "10" }, "AUTH_ERR_003"],
    ["a wrong secret and expiry 10", { secretKey: "nope", jwtTokenExpiryMinutes: "10" }, "AUTH_ERR_011"],
    ["a wrong secret and an unknown scope", { secretKey: "nope", scope: "Settlement" }, "AUTH_ERR_004"],
    ["an unknown scope and expiry 2000", { scope: "Settlement", jwtTokenExpiryMinutes: "2000" }, "AUTH_ERR_012"]
  ])("%s → %s", (_, given, want) => {
    expect(codeOf(given)).toBe(want)
  })

  it("always answers with the first failing check, in the documented order", () => {
    const value = (...choices: Array<string | undefined>) => fc.constantFrom(...choices)
    const checks: ReadonlyArray<readonly [string, (h: AuthenticateHeaders) => boolean]> = [
      ["AUTH_ERR_001", (h) => !h.apiKey],
      ["AUTH_ERR_002", (h) => !h.secretKey],
      ["AUTH_ERR_003", (h) => !h.scope],
      ["AUTH_ERR_011", (h) => ["29", "abc", "-1"].includes(h.jwtTokenExpiryMinutes ?? "")],
      ["AUTH_ERR_012", (h) => h.jwtTokenExpiryMinutes === "1441"],
      ["AUTH_ERR_004", (h) => !demoCredentials.some((c) => c.apiKey === h.apiKey && c.secretKey === h.secretKey)],
      [
        "AUTH_ERR_005",
        (h) =>
          !demoCredentials.some((c) => c.apiKey === h.apiKey && (c.scopes as Array<string>).includes(h.scope ?? ""))
      ]
    ]
    fc.assert(
      fc.property(
        fc.record({
          apiKey: value(undefined, "", "demo-merchant-api-key", "demo-iso-api-key", "demo-agent-office-api-key", "x"),
          secretKey: value(undefined, "", "demo-merchant-secret-key", "demo-iso-secret-key", "x"),
          scope: value(undefined, "", "PaymentTokenization", "Recurring", "BatchReport", "ExternalApi", "Settlement"),
          jwtTokenExpiryMinutes: value(undefined, "", "30", "29", "1440", "1441", "abc", "-1")
        }),
        (given) => {
          const want = checks.find(([, failing]) => failing(given))?.[0] ?? "Grant"
          const decision = decideAuthenticate(given, demoCredentials)
          expect(decision._tag === "Refuse" ? decision.code : "Grant").toBe(want)
        }
      ),
      { numRuns: 500 }
    )
  })
})

describe("POST /v1/authenticate-token", () => {
  const clock = manualClock()
  let sandbox: Sandbox
  let fourxx: Sandbox
  beforeAll(async () => {
    ;[sandbox, fourxx] = await Promise.all([startSandbox({ now: clock.now }), startSandbox({ errorStatus: 401 })])
  })
  afterAll(() => Promise.all([sandbox?.stop(), fourxx?.stop()]))

  it("issues a 24-hour token by default, createdDt being the current millisecond as a string", async () => {
    clock.set(Date.parse("2026-03-01T12:00:00.250Z"))
    const answer = await authenticate(sandbox.url)
    expect(answer.status).toBe(200)
    expect(answer.headers.get("content-type")).toBe("application/json")
    expect(answer.headers.get("cache-control")).toBe("no-store")
    const body = answer.body as Record<string, string>
    expect(Object.keys(body)).toEqual(["responseCode", "responseMessage", "createdDt", "token"])
    expect(body).toMatchObject({ responseCode: "00", responseMessage: "Success", createdDt: "1772366400250" })
    const claims = claimsOf(body.token ?? "")
    expect(claims).toEqual({ scope: "paymentTokenize", uniqueId: claims.uniqueId, iat: 1772366400, exp: 1772452800 })
    expect(claims.uniqueId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it("issues exp = iat + minutes * 60 when jwtTokenExpiryMinutes is given", async () => {
    const answer = await authenticate(sandbox.url, { ...merchant, jwtTokenExpiryMinutes: "30" })
    const claims = claimsOf((answer.body as { token: string }).token)
    expect(claims.exp - claims.iat).toBe(1800)
  })

  it.each([
    ["merchant", "PaymentTokenization", "paymentTokenize"],
    ["merchant", "Recurring", "recurring"],
    ["merchant", "BatchReport", "batchReport"],
    ["iso", "ExternalApi", "externalApi"],
    ["iso", "PaymentTokenization", "paymentTokenize"],
    ["iso", "Recurring", "recurring"],
    ["iso", "BatchReport", "batchReport"],
    ["agentOffice", "ExternalApi", "externalApi"]
  ] as const)("lets %s have %s, written as the claim %s", async (level, scope, claim) => {
    const answer = await authenticate(sandbox.url, { ...keysOf(level), scope })
    expect(claimsOf((answer.body as { token: string }).token).scope).toBe(claim)
  })

  it("gives each token its own uniqueId", async () => {
    const ids = new Set<string>()
    for (let i = 0; i < 5; i++) {
      ids.add(claimsOf(((await authenticate(sandbox.url)).body as { token: string }).token).uniqueId)
    }
    expect(ids.size).toBe(5)
  })

  it.each<[string, Record<string, string>, keyof typeof authErrorMessages]>([
    ["no apiKey", { secretKey: merchant.secretKey, scope: "Recurring" }, "AUTH_ERR_001"],
    ["no secretKey", { apiKey: merchant.apiKey, scope: "Recurring" }, "AUTH_ERR_002"],
    ["no scope", { apiKey: merchant.apiKey, secretKey: merchant.secretKey }, "AUTH_ERR_003"],
    ["a wrong secret", { ...merchant, secretKey: "wrong" }, "AUTH_ERR_004"],
    ["a scope above the level", { ...merchant, scope: "ExternalApi" }, "AUTH_ERR_005"],
    ["expiry 29", { ...merchant, jwtTokenExpiryMinutes: "29" }, "AUTH_ERR_011"],
    ["expiry 1441", { ...merchant, jwtTokenExpiryMinutes: "1441" }, "AUTH_ERR_012"]
  ])("refuses %s with %s under 200, or under the configured 4xx", async (_, given, code) => {
    const want = { errorCode: code, errorMessage: authErrorMessages[code] }
    const vendor = await authenticate(sandbox.url, given)
    expect([vendor.status, vendor.body]).toEqual([200, want])
    const gateway = await authenticate(fourxx.url, given)
    expect([gateway.status, gateway.body]).toEqual([401, want])
  })

  it("ignores a request body: credentials sent only as JSON are missing (AUTH_ERR_001), as integrators report", async () => {
    const answer = await authenticate(sandbox.url, { "Content-Type": "application/json" })
    expect(answer.body).toEqual({ errorCode: "AUTH_ERR_001", errorMessage: "API Key is required." })
    const withBody = await fetch(`${sandbox.url}/v1/authenticate-token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(merchant)
    })
    expect(await withBody.json()).toEqual({ errorCode: "AUTH_ERR_001", errorMessage: "API Key is required." })
  })
})
