import { namedExamples, type Prism, specServers, startPrism } from "@ipos/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createAuthClient, servers } from "../src/index.js"
import { vendorErrorRows } from "./support/vendorErrors.js"

// The openapi-fetch client against Prism mocking spec/openapi.yaml: every named example comes back
// exactly, and Prism's request validation rejects what the contract forbids.
let prism: Prism
beforeAll(async () => {
  prism = await startPrism({ mode: "mock" })
})
afterAll(() => prism?.stop())

const credentials = { apiKey: "contract-test-key", secretKey: "contract-test-secret" } as const

describe("createAuthClient against Prism", () => {
  const examples = namedExamples()

  it("covers every documented code and both successes", () => {
    expect(examples.map((e) => e.name).sort()).toEqual([
      "AUTH_ERR_001",
      "AUTH_ERR_002",
      "AUTH_ERR_003",
      "AUTH_ERR_004",
      "AUTH_ERR_005",
      "AUTH_ERR_006",
      "AUTH_ERR_007",
      "AUTH_ERR_008",
      "AUTH_ERR_009",
      "AUTH_ERR_011",
      "AUTH_ERR_012",
      "LongLived",
      "LongLivedRefreshed",
      "Refreshed",
      "Success"
    ])
  })

  // Prism serves the first example when no `Prefer` is sent: a mocked CI must get a token that has
  // not expired, or every client that checks `exp` (the core's TokenManager, the CLI) refuses it.
  it.each([
    ["/v1/authenticate-token", "LongLived"],
    ["/v1/refresh-token", "LongLivedRefreshed"]
  ])("serves %s's %s example by default: a token that expires in 2099", async (operation, name) => {
    const result = await send(operation, "")
    const example = examples.find((e) => e.operation === operation && e.name === name)
    expect(result.data).toEqual(example?.value)
    const token = example?.value.token ?? ""
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"))
    expect(new Date(claims.exp * 1000).toISOString().slice(0, 10)).toBe("2099-01-02")
    expect(claims.exp - claims.iat).toBe(86_400)
  })

  // One valid call of an operation, with Prism's `Prefer` header (none when `prefer` is empty).
  const send = (operation: string, prefer: string) => {
    const client = createAuthClient({ baseUrl: prism.url })
    const headers = prefer === "" ? {} : { Prefer: prefer }
    return operation === "/v1/authenticate-token"
      ? client.POST("/v1/authenticate-token", {
          params: { header: { ...credentials, scope: "PaymentTokenization", jwtTokenExpiryMinutes: 60 } },
          headers
        })
      : client.POST("/v1/refresh-token", {
          params: { header: { refreshToken: true, token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" } },
          headers
        })
  }

  it.each(examples.map((e) => [`${e.operation} ${e.name}`, e] as const))("%s", async (_, example) => {
    const result = await send(example.operation, `example=${example.name}`)
    expect(result.response.status).toBe(200)
    expect(result.data).toEqual(example.value)
  })

  it("names every error example after its code and gives it the vendor's message", () => {
    const errors = examples
      .filter((e) => e.name.startsWith("AUTH_ERR_"))
      .map((e) => [e.operation, e.name, e.value.errorMessage] as const)
    expect(errors).toEqual(expect.arrayContaining(vendorErrorRows.map((row) => [...row])))
    expect(errors).toHaveLength(vendorErrorRows.length)
    for (const e of examples.filter((x) => x.name.startsWith("AUTH_ERR_"))) expect(e.value.errorCode).toBe(e.name)
  })

  it.each(vendorErrorRows)("receives %s %s as an AuthError under a forced 401", async (operation, code, message) => {
    const result = await send(operation, `code=401, example=${code}`)
    expect(result.response.status).toBe(401)
    expect(result.data).toBeUndefined()
    expect(result.error).toEqual({ errorCode: code, errorMessage: message })
  })

  it("is rejected by Prism's validation when a required header is missing", async () => {
    const client = createAuthClient({ baseUrl: prism.url })
    // The types forbid this call; the cast is the point of the test.
    const header = { secretKey: credentials.secretKey, scope: "Recurring" } as unknown as {
      apiKey: string
      secretKey: string
      scope: "Recurring"
    }
    const result = await client.POST("/v1/authenticate-token", { params: { header } })
    expect(result.response.status).toBe(422)
    expect(JSON.parse(result.response.headers.get("sl-violations") ?? "[]")).toEqual([
      {
        location: ["request", "header"],
        severity: "Error",
        code: "required",
        message: "Request header must have required property 'apikey'"
      }
    ])
  })

  it("is rejected by Prism's validation when jwtTokenExpiryMinutes is outside 30..1440", async () => {
    const client = createAuthClient({ baseUrl: prism.url })
    const result = await client.POST("/v1/authenticate-token", {
      params: { header: { ...credentials, scope: "Recurring", jwtTokenExpiryMinutes: 29 } }
    })
    expect(result.response.status).toBe(422)
    const violations = JSON.parse(result.response.headers.get("sl-violations") ?? "[]") as Array<{ code: string }>
    expect(violations.map((v) => v.code)).toEqual(["minimum"])
  })

  it("knows both servers of the spec, exactly as the spec declares them", () => {
    expect(servers).toEqual(specServers())
    expect(servers).toEqual({ sandbox: "https://auth.ipospays.tech", production: "https://auth.ipospays.com" })
  })
})
