import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { freePort, namedExamples } from "@ipos/testing"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { fakeJwt, startFixedAnswer } from "../support/fixedAnswer.js"
import { cleanEnv, runCli } from "../support/runCli.js"
import { startTlsProxy } from "../support/tlsProxy.js"

// `ipos-auth token` and `ipos-auth refresh`, the built binary against a local sandbox.
let sandbox: Sandbox
let env: Record<string, string>
beforeAll(async () => {
  sandbox = await startSandbox({ errorStatus: 200 })
  env = cleanEnv({
    IPOS_AUTH_URL: sandbox.url,
    IPOS_API_KEY: "demo-merchant-api-key",
    IPOS_SECRET_KEY: "demo-merchant-secret-key"
  })
})
afterAll(() => sandbox?.stop())
beforeEach(() => {
  sandbox.reset()
})

const tokenWarning = (command: string) =>
  `ipos-auth: warning: a token on the command line is visible to every user of this machine (ps, /proc/*/cmdline): pipe it on stdin instead, e.g. echo "$TOKEN" | ipos-auth ${command}`
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"))
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

describe("ipos-auth token", () => {
  it("reads the keys from IPOS_API_KEY_FILE / IPOS_SECRET_KEY_FILE (trailing newline trimmed)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ipos-cli-keys-"))
    try {
      writeFileSync(join(dir, "apiKey"), "demo-iso-api-key\n")
      writeFileSync(join(dir, "secretKey"), "demo-iso-secret-key\n")
      const files = { IPOS_API_KEY_FILE: join(dir, "apiKey"), IPOS_SECRET_KEY_FILE: join(dir, "secretKey") }
      const result = await runCli(["token"], { env: cleanEnv({ IPOS_AUTH_URL: sandbox.url, ...files }) })
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/)
      const both = await runCli(["token"], {
        env: cleanEnv({ IPOS_AUTH_URL: sandbox.url, ...files, IPOS_API_KEY: "demo-iso-api-key" })
      })
      expect(both).toEqual({
        code: 2,
        stdout: "",
        stderr: "ipos-auth: Invalid IPOS_API_KEY: must not be set together with IPOS_API_KEY_FILE (use one)\n"
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("prints the bare token and a newline, so TOKEN=$(ipos-auth token) works", async () => {
    const result = await runCli(["token"], { env })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("")
    expect(result.stdout.endsWith("\n")).toBe(true)
    const jwt = result.stdout.slice(0, -1)
    expect(jwt).toMatch(JWT)
    const claims = claimsOf(jwt)
    expect(claims.scope).toBe("paymentTokenize")
    expect(claims.exp - claims.iat).toBe(86_400)
    expect(sandbox.counters().requests).toMatchObject({ "/v1/authenticate-token": 1, "/v1/refresh-token": 0 })
  })

  it("prints {token, scope, issuedAt, expiresAt, createdDt} with --json, times in ISO-8601", async () => {
    const result = await runCli(["token", "--scope", "Recurring", "--expiry", "60", "--json"], { env })
    expect(result.code).toBe(0)
    const body = JSON.parse(result.stdout)
    expect(Object.keys(body)).toEqual(["token", "scope", "issuedAt", "expiresAt", "createdDt"])
    const claims = claimsOf(body.token)
    expect(body.scope).toBe("Recurring")
    expect(claims.scope).toBe("recurring")
    expect(body.issuedAt).toBe(new Date(claims.iat * 1000).toISOString())
    expect(body.expiresAt).toBe(new Date(claims.exp * 1000).toISOString())
    expect(claims.exp - claims.iat).toBe(3_600)
    expect(body.createdDt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it("reads scope, expiry and URL from IPOS_* and lets flags override them", async () => {
    const fromEnv = await runCli(["token", "--json"], {
      env: { ...env, IPOS_SCOPE: "BatchReport", IPOS_TOKEN_EXPIRY_MINUTES: "45" }
    })
    const body = JSON.parse(fromEnv.stdout)
    expect(body.scope).toBe("BatchReport")
    expect(claimsOf(body.token).exp - claimsOf(body.token).iat).toBe(2_700)
    const flagged = await runCli(["token", "--json", "--scope=Recurring", "--expiry=30"], {
      env: { ...env, IPOS_SCOPE: "BatchReport", IPOS_TOKEN_EXPIRY_MINUTES: "45" }
    })
    const overridden = JSON.parse(flagged.stdout)
    expect(overridden.scope).toBe("Recurring")
    expect(claimsOf(overridden.token).exp - claimsOf(overridden.token).iat).toBe(1_800)
  })

  it.each([
    [["token", "--expiry", "29"], "ipos-auth: Invalid --expiry: 29 is not an integer from 30 to 1440\n"],
    [["token", "--expiry", "1441"], "ipos-auth: Invalid --expiry: 1441 is not an integer from 30 to 1440\n"],
    [["token", "--expiry", "abc"], "ipos-auth: Invalid --expiry: must be an integer from 30 to 1440\n"]
  ])("refuses %j locally with exit 2, sending nothing", async (args, stderr) => {
    const result = await runCli(args, { env })
    expect(result).toEqual({ code: 2, stdout: "", stderr })
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBe(0)
  })

  it("refuses an unknown scope and a missing credential locally with exit 2", async () => {
    const scope = await runCli(["token", "--scope", "Payments"], { env })
    expect(scope.code).toBe(2)
    expect(scope.stdout).toBe("")
    expect(scope.stderr).toMatch(
      /^ipos-auth: Invalid --scope: .*PaymentTokenization, Recurring, BatchReport, ExternalApi/
    )
    const missing = await runCli(["token"], { env: cleanEnv({ IPOS_AUTH_URL: sandbox.url }) })
    // In CLI words: the variables and where keys come from, not the library's `apiKey` / `secretKey` options.
    expect(missing).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "ipos-auth: IPOS_API_KEY and IPOS_SECRET_KEY are not set: export both, or IPOS_API_KEY_FILE and IPOS_SECRET_KEY_FILE naming files that hold them (the keys from the iPOSpays portal, or the demo keys `ipos-auth sandbox` prints); there are no key flags, since ps would show them\n"
    })
    const half = await runCli(["token"], { env: cleanEnv({ IPOS_AUTH_URL: sandbox.url, IPOS_API_KEY: "k" }) })
    expect(half.code).toBe(2)
    expect(half.stderr).toMatch(/^ipos-auth: Invalid IPOS_SECRET_KEY/)
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBe(0)
  })

  it("exits 3 with the code, the message and a hint for a wrong secret (AUTH_ERR_004)", async () => {
    const result = await runCli(["token"], { env: { ...env, IPOS_SECRET_KEY: "not-the-secret" } })
    expect(result).toEqual({
      code: 3,
      stdout: "",
      stderr:
        "ipos-auth: AUTH_ERR_004: Invalid Credentials, Please Contact Support Team.\n" +
        "hint: Check the API key and secret key, and that they belong to the chosen environment (sandbox keys do not work in production).\n"
    })
  })

  it("exits 3 and explains the scopes per level for a scope the level may not use (AUTH_ERR_005)", async () => {
    const result = await runCli(["token", "--scope", "ExternalApi"], { env })
    expect(result.code).toBe(3)
    expect(result.stderr).toBe(
      "ipos-auth: AUTH_ERR_005: Invalid scope provided. Please use a valid scope.\n" +
        "hint: Scopes allowed per credential level: merchant — PaymentTokenization, Recurring, BatchReport; ISO — ExternalApi, PaymentTokenization, Recurring, BatchReport; Agent Office — ExternalApi.\n"
    )
  })

  it("reports an undocumented AUTH_ERR as itself with exit 3", async () => {
    sandbox.setFaults({ authError: { count: 1, errorCode: "AUTH_ERR_042", errorMessage: "Merchant suspended." } })
    const result = await runCli(["token"], { env })
    expect(result).toEqual({ code: 3, stdout: "", stderr: "ipos-auth: AUTH_ERR_042: Merchant suspended.\n" })
  })

  it("reports AUTH_ERR bodies the same when they arrive with a 4xx", async () => {
    const strict = await startSandbox({ errorStatus: 401 })
    try {
      const result = await runCli(["token"], { env: { ...env, IPOS_AUTH_URL: strict.url, IPOS_SECRET_KEY: "nope" } })
      expect(result.code).toBe(3)
      expect(result.stderr.split("\n")[0]).toBe(
        "ipos-auth: AUTH_ERR_004: Invalid Credentials, Please Contact Support Team."
      )
    } finally {
      await strict.stop()
    }
  })

  it("retries through a transient 503 and succeeds", async () => {
    sandbox.setFaults({ failNext: { count: 1, status: 503 } })
    const result = await runCli(["token"], { env })
    expect(result.code).toBe(0)
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBe(2)
  })

  it("exits 4 when the service stays down (HTML 503 outage), after retries", async () => {
    sandbox.setFaults({ outage: { seconds: 600 } })
    const result = await runCli(["token"], { env, timeoutMs: 60_000 })
    expect(result.code).toBe(4)
    expect(result.stdout).toBe("")
    expect(result.stderr).toMatch(/^ipos-auth: iPOSpays authenticate unavailable: HTTP 503/)
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBeGreaterThan(1)
  }, 60_000)

  it("exits 4 when nothing listens at the URL", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`
    const result = await runCli(["token"], { env: { ...env, IPOS_AUTH_URL: closed }, timeoutMs: 60_000 })
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/^ipos-auth: iPOSpays authenticate unavailable/)
  }, 60_000)

  it.each([["truncated-json"], ["empty"], ["html"]] as const)(
    "exits 5 for a malformed answer (%s under 200)",
    async (kind) => {
      sandbox.setFaults({ malformed: { count: 10, kind } })
      const result = await runCli(["token"], { env })
      expect(result.code).toBe(5)
      expect(result.stdout).toBe("")
      expect(result.stderr).toMatch(/^ipos-auth: /)
    }
  )
})

describe("ipos-auth refresh", () => {
  it("refreshes --token, keeping uniqueId", async () => {
    const minted = (await runCli(["token"], { env })).stdout.trim()
    const result = await runCli(["refresh", "--token", minted, "--json"], { env })
    expect(result.code).toBe(0)
    const body = JSON.parse(result.stdout)
    expect(Object.keys(body)).toEqual(["token", "scope", "issuedAt", "expiresAt", "createdDt"])
    expect(body.scope).toBe("PaymentTokenization")
    expect(claimsOf(body.token).uniqueId).toBe(claimsOf(minted).uniqueId)
    expect(sandbox.counters().requests).toMatchObject({ "/v1/authenticate-token": 1, "/v1/refresh-token": 1 })
  })

  it("takes the token as its argument too, warning that ps shows it", async () => {
    const minted = (await runCli(["token"], { env })).stdout.trim()
    const result = await runCli(["refresh", minted], { env })
    expect(result.code).toBe(0)
    expect(claimsOf(result.stdout.trim()).uniqueId).toBe(claimsOf(minted).uniqueId)
    expect(result.stderr).toBe(`${tokenWarning("refresh")}\n`)
    const flagged = await runCli(["refresh", "--token", minted], { env })
    expect(flagged).toMatchObject({ code: 0, stderr: `${tokenWarning("refresh")}\n` })
  })

  it("ignores the IPOS_* settings only a mint uses, even invalid ones", async () => {
    const minted = (await runCli(["token"], { env })).stdout.trim()
    const stray = cleanEnv({
      IPOS_AUTH_URL: sandbox.url,
      IPOS_API_KEY: "only-one-key",
      IPOS_SCOPE: "NoSuchScope",
      IPOS_TOKEN_EXPIRY_MINUTES: "10"
    })
    expect((await runCli(["refresh", "--token", minted], { env: stray })).code).toBe(0)
  })

  it("reads the token from stdin when --token is absent, with no warning", async () => {
    const minted = (await runCli(["token"], { env })).stdout.trim()
    const result = await runCli(["refresh"], { env, stdin: `${minted}\n` })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("")
    expect(claimsOf(result.stdout.trim()).uniqueId).toBe(claimsOf(minted).uniqueId)
  })

  it("needs no API key or secret key", async () => {
    const minted = (await runCli(["token"], { env })).stdout.trim()
    const result = await runCli(["refresh", "--token", minted], { env: cleanEnv({ IPOS_AUTH_URL: sandbox.url }) })
    expect(result.code).toBe(0)
  })

  it("warns before a token would travel over plain http off this machine", async () => {
    // The token is refused locally (not a JWT), so nothing is sent to the non-loopback address.
    const result = await runCli(["refresh", "--auth-url", "http://192.0.2.10:8080"], {
      env: cleanEnv(),
      stdin: "not-a-jwt"
    })
    expect(result.code).toBe(2)
    expect(result.stderr.split("\n")[0]).toBe(
      "ipos-auth: warning: http://192.0.2.10:8080 is not encrypted: the token would cross the network in clear text (use https://)"
    )
  })

  it("exits 2 without a token, and for a value that is not a JWT, sending nothing", async () => {
    expect(await runCli(["refresh"], { env, stdin: "" })).toEqual({
      code: 2,
      stdout: "",
      stderr: 'ipos-auth: no token to refresh: pipe it on stdin (echo "$TOKEN" | ipos-auth refresh)\n'
    })
    const garbage = await runCli(["refresh", "--token", "garbage"], { env })
    expect(garbage.code).toBe(2)
    expect(sandbox.counters().requests["/v1/refresh-token"]).toBe(0)
  })

  it("exits 3 for a token with a bad signature (AUTH_ERR_008)", async () => {
    const [header, claims] = (await runCli(["token"], { env })).stdout.trim().split(".")
    const forged = `${header}.${claims}.${Buffer.from("forged").toString("base64url")}`
    const result = await runCli(["refresh"], { env, stdin: forged })
    expect(result.code).toBe(3)
    expect(result.stderr.split("\n")[0]).toBe("ipos-auth: AUTH_ERR_008: Invalid Signature.")
  })
})

describe("over https", () => {
  it("mints and refreshes through TLS (node:https is loaded on demand by the fast path)", async () => {
    const tls = await startTlsProxy(sandbox.url)
    try {
      const secure = { ...env, IPOS_AUTH_URL: tls.url, NODE_EXTRA_CA_CERTS: tls.caFile }
      const minted = await runCli(["token"], { env: secure })
      expect(minted).toMatchObject({ code: 0, stderr: "" })
      const refreshed = await runCli(["refresh"], { env: secure, stdin: minted.stdout })
      expect(refreshed).toMatchObject({ code: 0, stderr: "" })
      expect(sandbox.counters().requests).toMatchObject({ "/v1/authenticate-token": 1, "/v1/refresh-token": 1 })
    } finally {
      await tls.stop()
    }
  })
})

describe("answers that carry no usable token", () => {
  const vendorSample = namedExamples().find((e) => e.name === "Success")?.value.token ?? ""
  const unexpected = (operation: string, reason: string) =>
    `ipos-auth: iPOSpays ${operation} sent an unexpected response (HTTP 200): ${reason}\n`
  const run = async (token: string, args: ReadonlyArray<string>, stdin?: string) => {
    const server = await startFixedAnswer(token)
    try {
      const keys = { IPOS_API_KEY: "demo-merchant-api-key", IPOS_SECRET_KEY: "demo-merchant-secret-key" }
      return await runCli(args, {
        env: cleanEnv({ ...keys, IPOS_AUTH_URL: server.url }),
        ...(stdin === undefined ? {} : { stdin })
      })
    } finally {
      await server.stop()
    }
  }

  // Both commands, as scripts run them: `token` with the keys, `refresh` with a token on stdin.
  describe.each([
    ["token", "authenticate", undefined],
    ["refresh", "refresh", "aaa.bbb.ccc"]
  ] as const)("%s", (command, operation, stdin) => {
    const args = [command, "--json"]

    it("refuses a token already expired on arrival (the vendor's 2025 sample), printing nothing: exit 5", async () => {
      expect(await run(vendorSample, args, stdin)).toEqual({
        code: 5,
        stdout: "",
        stderr: unexpected(
          operation,
          "a token that is already expired (or within its safety margin) on arrival; check both clocks"
        )
      })
    })

    it("exits 5 for an exp in microseconds, but prints the minted token with expiresAt null", async () => {
      const iat = Math.floor(Date.now() / 1000)
      const exp = (iat + 3_600) * 1_000_000
      const jwt = fakeJwt({ scope: "paymentTokenize", uniqueId: "u-1", iat, exp })
      const result = await run(jwt, args, stdin)
      expect(result.code).toBe(5)
      expect(result.stderr).toBe(
        unexpected(
          operation,
          `the token's exp claim (${exp}) is not a time in seconds since the epoch; the token is printed on stdout, its expiry unknown`
        )
      )
      expect(JSON.parse(result.stdout)).toMatchObject({
        token: jwt,
        scope: "PaymentTokenization",
        issuedAt: new Date(iat * 1000).toISOString(),
        expiresAt: null
      })
    })
  })

  it("prints the bare token too without --json (exit 5)", async () => {
    const iat = Math.floor(Date.now() / 1000)
    const jwt = fakeJwt({ scope: "paymentTokenize", iat, exp: (iat + 3_600) * 1_000_000 })
    const result = await run(jwt, ["token"])
    expect(result).toMatchObject({ code: 5, stdout: `${jwt}\n` })
  })
})
