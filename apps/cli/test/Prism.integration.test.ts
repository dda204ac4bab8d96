import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { namedExamples, type Prism, startPrism } from "@ipos/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cleanEnv, runCli } from "./support/runCli.js"

// The binary against the contract: Prism mocking the spec, and Prism's validation proxy (errors
// on) in front of the sandbox, so any request the CLI sends that breaks the spec fails.
let mock: Prism
let sandbox: Sandbox
let proxy: Prism
beforeAll(async () => {
  ;[mock, sandbox] = await Promise.all([startPrism({ mode: "mock" }), startSandbox()])
  proxy = await startPrism({ mode: "proxy", upstream: sandbox.url, errors: true })
})
afterAll(() => Promise.all([mock?.stop(), proxy?.stop(), sandbox?.stop()]))

const example = (name: string) => namedExamples().find((e) => e.name === name)?.value ?? {}
const credentials = { IPOS_API_KEY: "prism-api-key", IPOS_SECRET_KEY: "prism-secret-key" }

describe("ipos-auth against Prism", () => {
  // A Prism-mocked CI step: `TOKEN=$(ipos-auth token)` gets the spec's default example, which must
  // be a token that has not expired (the vendor's sample expired in 2025 and is refused, exit 5).
  it.each([
    ["token", "LongLived", { ...credentials }, undefined, "2099-01-01T00:00:00.000Z", "2099-01-02T00:00:00.000Z"],
    [
      "refresh",
      "LongLivedRefreshed",
      {},
      example("LongLived").token,
      "2099-01-01T00:05:00.000Z",
      "2099-01-02T00:05:00.000Z"
    ]
  ] as const)(
    "%s prints the spec's default example, %s, a token valid until 2099 (refresh reads it from stdin)",
    async (command, name, keys, stdin, issuedAt, expiresAt) => {
      const env = cleanEnv({ ...keys, IPOS_AUTH_URL: mock.url })
      const result = await runCli([command, "--json"], { env, ...(stdin === undefined ? {} : { stdin }) })
      expect(result.stderr).toBe("")
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({
        token: example(name).token,
        scope: "PaymentTokenization",
        issuedAt,
        expiresAt,
        createdDt: issuedAt
      })
    }
  )

  it("decodes the vendor's sample token as expired", async () => {
    const result = await runCli(["decode", "--json"], { stdin: example("Success").token ?? "" })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      header: { alg: "RS256" },
      issuedAt: "2025-04-16T12:48:22.000Z",
      expiresAt: "2025-04-17T12:48:22.000Z",
      expired: true
    })
  })

  it("sends only requests the spec allows (validation proxy in front of the sandbox)", async () => {
    const env = cleanEnv({
      IPOS_AUTH_URL: proxy.url,
      IPOS_API_KEY: "demo-merchant-api-key",
      IPOS_SECRET_KEY: "demo-merchant-secret-key"
    })
    const minted = await runCli(["token", "--scope", "BatchReport", "--expiry", "1440"], { env })
    expect(minted.code).toBe(0)
    const refreshed = await runCli(["refresh"], { env, stdin: minted.stdout })
    expect(refreshed.code).toBe(0)
    const refused = await runCli(["token"], { env: { ...env, IPOS_SECRET_KEY: "wrong-secret" } })
    expect(refused.code).toBe(3)
    expect(refused.stderr.split("\n")[0]).toBe(
      "ipos-auth: AUTH_ERR_004: Invalid Credentials, Please Contact Support Team."
    )
  })
})
