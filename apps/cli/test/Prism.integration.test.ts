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
  it("prints the spec's Success example token", async () => {
    const result = await runCli(["token"], { env: cleanEnv({ ...credentials, IPOS_AUTH_URL: mock.url }) })
    expect(result).toEqual({ code: 0, stdout: `${example("Success").token}\n`, stderr: "" })
  })

  it("prints the spec's Refreshed example token, reading the token from stdin", async () => {
    const result = await runCli(["refresh", "--json"], {
      env: cleanEnv({ IPOS_AUTH_URL: mock.url }),
      stdin: example("Success").token ?? ""
    })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      token: example("Refreshed").token,
      scope: "PaymentTokenization",
      issuedAt: "2025-04-16T12:54:45.000Z",
      expiresAt: "2025-04-17T12:54:45.000Z",
      createdDt: "2025-06-10T05:20:46.158Z"
    })
  })

  it("decodes the vendor's sample token as expired", async () => {
    const result = await runCli(["decode", "--json", example("Success").token ?? ""])
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
    const refreshed = await runCli(["refresh", "--token", minted.stdout.trim()], { env })
    expect(refreshed.code).toBe(0)
    const refused = await runCli(["token"], { env: { ...env, IPOS_SECRET_KEY: "wrong-secret" } })
    expect(refused.code).toBe(3)
    expect(refused.stderr.split("\n")[0]).toBe(
      "ipos-auth: AUTH_ERR_004: Invalid Credentials, Please Contact Support Team."
    )
  })
})
