import { namedExamples, type Prism, startPrism } from "@ipos/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { authenticateToken, createClient, refreshToken } from "../src/sdk.js"
import { vendorErrorRows } from "./support/vendorErrors.js"

// The @hey-api/openapi-ts SDK against Prism mocking spec/openapi.yaml.
let prism: Prism
beforeAll(async () => {
  prism = await startPrism({ mode: "mock" })
})
afterAll(() => prism?.stop())

describe("hey-api SDK against Prism", () => {
  // One valid call of an operation, with Prism's `Prefer` header.
  const send = (operation: string, prefer: string) => {
    const client = createClient({ baseUrl: prism.url })
    return operation === "/v1/authenticate-token"
      ? authenticateToken({
          client,
          headers: { apiKey: "sdk-key", secretKey: "sdk-secret", scope: "BatchReport", Prefer: prefer }
        })
      : refreshToken({
          client,
          headers: { refreshToken: true, token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", Prefer: prefer }
        })
  }

  it.each(namedExamples().map((e) => [`${e.operation} ${e.name}`, e] as const))("%s", async (_, example) => {
    const result = await send(example.operation, `example=${example.name}`)
    expect(result.response.status).toBe(200)
    expect(result.data).toEqual(example.value)
  })

  it.each(vendorErrorRows)("receives %s %s as an AuthError under a forced 401", async (operation, code, message) => {
    const result = await send(operation, `code=401, example=${code}`)
    expect(result.response.status).toBe(401)
    expect(result.data).toBeUndefined()
    expect(result.error).toEqual({ errorCode: code, errorMessage: message })
  })

  it("is rejected by Prism's validation when the refreshToken header is missing", async () => {
    const client = createClient({ baseUrl: prism.url })
    const headers = { token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" } as unknown as { refreshToken: true; token: string }
    const result = await refreshToken({ client, headers })
    expect(result.response.status).toBe(422)
    expect(JSON.parse(result.response.headers.get("sl-violations") ?? "[]")).toEqual([
      {
        location: ["request", "header"],
        severity: "Error",
        code: "required",
        message: "Request header must have required property 'refreshtoken'"
      }
    ])
  })
})
