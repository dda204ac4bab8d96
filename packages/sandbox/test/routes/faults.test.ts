import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { sandboxOptionsFromEnv } from "../../src/Env.js"
import { describeFaults, undocumentedErrorMessage } from "../../src/Faults.js"
import type { RequestLogEntry } from "../../src/Options.js"
import { type Sandbox, startSandbox } from "../../src/Sandbox.js"
import {
  authenticate,
  call,
  claimsOf,
  manualClock,
  merchant,
  mint,
  postControl,
  refresh,
  withSandbox
} from "../support.js"

const nginx = (title: string) =>
  `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`

describe("faults on the auth endpoints", () => {
  const clock = manualClock()
  const log: Array<RequestLogEntry> = []
  let sandbox: Sandbox
  let fourxx: Sandbox
  const setFaults = (patch: unknown) => postControl(`${sandbox.url}/_sandbox/faults`, JSON.stringify(patch))

  beforeAll(async () => {
    ;[sandbox, fourxx] = await Promise.all([
      startSandbox({ now: clock.now, onRequest: (entry) => log.push(entry) }),
      startSandbox({ errorStatus: 401 })
    ])
  })
  beforeEach(() => {
    clock.set(Date.parse("2026-03-01T12:00:00.000Z"))
    log.length = 0
    sandbox.reset()
    fourxx.reset()
  })
  afterAll(() => Promise.all([sandbox?.stop(), fourxx?.stop()]))

  it("answers an HTML 503 page on both endpoints during an outage window, and normally after it", async () => {
    expect((await setFaults({ outage: { seconds: 30 } })).body).toMatchObject({
      outage: { endsAt: "2026-03-01T12:00:30.000Z" }
    })
    const during = await authenticate(sandbox.url)
    expect([during.status, during.headers.get("content-type"), during.text]).toEqual([
      503,
      "text/html",
      nginx("503 Service Unavailable")
    ])
    expect((await refresh(sandbox.url, { refreshToken: "true", token: "a.b.c" })).status).toBe(503)
    clock.advance(30_000)
    expect((await authenticate(sandbox.url)).status).toBe(200)
    expect(sandbox.counters().faults.outage).toBe(2)
  })

  it("leaves the control API, the echo API and the keys alone during an outage", async () => {
    const token = await mint(sandbox.url)
    await setFaults({ outage: { seconds: 30 } })
    expect((await call(`${sandbox.url}/_sandbox/health`)).status).toBe(200)
    expect((await call(`${sandbox.url}/api/x`, { headers: { token } })).status).toBe(200)
    expect((await call(`${sandbox.url}/.well-known/jwks.json`)).status).toBe(200)
    expect((await call(`${sandbox.url}/v1/authenticate-token`)).status).toBe(405)
  })

  it("fails the next N auth requests with the given status, across both endpoints, then answers normally", async () => {
    const token = await mint(sandbox.url)
    await setFaults({ failNext: { count: 2, status: 504 } })
    const first = await authenticate(sandbox.url)
    expect([first.status, first.text]).toEqual([504, nginx("504 Gateway Timeout")])
    expect((await refresh(sandbox.url, { refreshToken: "true", token })).status).toBe(504)
    expect((await refresh(sandbox.url, { refreshToken: "true", token })).status).toBe(200)
    expect(sandbox.faults().failNext).toBeNull()
  })

  it("fails with 502 Bad Gateway by default", async () => {
    await setFaults({ failNext: {} })
    expect((await authenticate(sandbox.url)).text).toBe(nginx("502 Bad Gateway"))
  })

  it("fails the next request by resetting the connection", async () => {
    await setFaults({ failNext: { reset: true } })
    const error = await fetch(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers: merchant }).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } }
    )
    expect(error?.name).toBe("TypeError")
    expect(error?.cause?.code).toBe("ECONNRESET")
    expect((await authenticate(sandbox.url)).status).toBe(200)
    expect(sandbox.counters().faults.failNext).toBe(1)
    expect(sandbox.counters().statuses).toEqual({ "200": 1 })
  })

  it("answers 429 with Retry-After", async () => {
    await setFaults({ rateLimit: { count: 1, retryAfterSeconds: 7 } })
    const limited = await authenticate(sandbox.url)
    expect([limited.status, limited.headers.get("retry-after"), limited.body]).toEqual([
      429,
      "7",
      { message: "Too Many Requests" }
    ])
    expect((await authenticate(sandbox.url)).status).toBe(200)
  })

  it.each([
    ["truncated-json", "application/json", '{"responseCode":"00","responseMessage":"Success","createdDt":"17'],
    ["empty", "application/json", ""],
    ["html", "text/html", "<html><body><h1>Please sign in to continue</h1></body></html>"]
  ])("answers a malformed 200 (%s)", async (kind, contentType, text) => {
    await setFaults({ malformed: { kind } })
    const answer = await authenticate(sandbox.url)
    expect([answer.status, answer.headers.get("content-type"), answer.text]).toEqual([200, contentType, text])
    expect(answer.body).toBeUndefined()
  })

  it("refuses with an undocumented AUTH_ERR_013 under the configured error status", async () => {
    await setFaults({ authError: { count: 2 } })
    fourxx.setFaults({ authError: { errorCode: "AUTH_ERR_020", errorMessage: "Merchant is inactive." } })
    expect(await authenticate(sandbox.url)).toMatchObject({
      status: 200,
      body: { errorCode: "AUTH_ERR_013", errorMessage: undocumentedErrorMessage }
    })
    expect(await refresh(sandbox.url, { refreshToken: "true", token: "a.b.c" })).toMatchObject({
      status: 200,
      body: { errorCode: "AUTH_ERR_013" }
    })
    expect(await authenticate(fourxx.url)).toMatchObject({
      status: 401,
      body: { errorCode: "AUTH_ERR_020", errorMessage: "Merchant is inactive." }
    })
    expect(sandbox.counters().errors).toEqual({ AUTH_ERR_013: 2 })
  })

  it("delays every auth request while set, and records the delay on the answer it gave", async () => {
    await setFaults({ delayMs: 25 })
    expect(await authenticate(sandbox.url)).toMatchObject({ status: 200, body: { responseCode: "00" } })
    await setFaults({ rateLimit: {} })
    expect((await authenticate(sandbox.url)).status).toBe(429)
    expect((await call(`${sandbox.url}/.well-known/jwks.json`)).status).toBe(200)
    await setFaults({ delayMs: null })
    expect((await authenticate(sandbox.url)).status).toBe(200)
    expect(
      log
        .filter((entry) => entry.endpoint !== "control")
        .map(({ endpoint, status, fault }) => ({ endpoint, status, fault }))
    ).toEqual([
      { endpoint: "/v1/authenticate-token", status: 200, fault: "delay" },
      { endpoint: "/v1/authenticate-token", status: 429, fault: "rateLimit" },
      { endpoint: "/.well-known/jwks.json", status: 200, fault: null },
      { endpoint: "/v1/authenticate-token", status: 200, fault: null }
    ])
    expect(sandbox.counters().faults).toEqual({
      outage: 0,
      failNext: 0,
      rateLimit: 1,
      authError: 0,
      malformed: 0,
      delay: 2
    })
  })

  it("issues tokens with the lifetime override, in seconds, whatever minutes were asked", async () => {
    await setFaults({ tokenLifetimeSeconds: 2 })
    const claims = claimsOf(await mint(sandbox.url, { ...merchant, jwtTokenExpiryMinutes: "600" }))
    expect(claims.exp - claims.iat).toBe(2)
  })

  it("reports, merges and clears the faults over the control API", async () => {
    await setFaults({ delayMs: 5, failNext: { count: 3 } })
    await setFaults({ rateLimit: {}, failNext: null })
    expect((await call(`${sandbox.url}/_sandbox/faults`)).body).toEqual({
      outage: null,
      failNext: null,
      delayMs: 5,
      rateLimit: { count: 1, retryAfterSeconds: 1 },
      malformed: null,
      authError: null,
      tokenLifetimeSeconds: null
    })
    expect((await call(`${sandbox.url}/_sandbox/faults`, { method: "DELETE" })).body).toEqual({
      outage: null,
      failNext: null,
      delayMs: 0,
      rateLimit: null,
      malformed: null,
      authError: null,
      tokenLifetimeSeconds: null
    })
  })

  it.each<[string, string, string]>([
    ["a body that is not JSON", "{delayMs:", "the body is not valid JSON"],
    ["an unknown fault", '{"blackhole":true}', "faults.blackhole is not a known setting"],
    ["a bad value", '{"failNext":{"status":200}}', "faults.failNext.status must be an integer from 400 to 599"]
  ])("refuses %s with 400 and changes nothing", async (_, body, message) => {
    const answer = await postControl(`${sandbox.url}/_sandbox/faults`, body)
    expect(answer).toMatchObject({ status: 400, body: { error: "Bad Request", message } })
    expect(sandbox.faults().failNext).toBeNull()
  })
})

describe("faults at start-up", () => {
  it("are active from the start, and restored by reset()", async () => {
    await withSandbox({ faults: { failNext: { count: 1, status: 500 } }, tokenLifetimeSeconds: 3 }, async (sandbox) => {
      expect((await authenticate(sandbox.url)).status).toBe(500)
      expect((await authenticate(sandbox.url)).status).toBe(200)
      sandbox.reset()
      expect(sandbox.faults()).toMatchObject({ failNext: { count: 1, status: 500 }, tokenLifetimeSeconds: 3 })
    })
  })

  it("can all be set from the environment", async () => {
    const clock = manualClock()
    await withSandbox(
      {
        ...sandboxOptionsFromEnv({
          IPOS_SANDBOX_OUTAGE_SECONDS: "30",
          IPOS_SANDBOX_FAIL_NEXT: "1:reset",
          IPOS_SANDBOX_RATE_LIMIT: "1:30",
          IPOS_SANDBOX_AUTH_ERROR: "1:AUTH_ERR_020:Merchant is inactive.",
          IPOS_SANDBOX_MALFORMED: "1:html",
          IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS: "5"
        }),
        now: clock.now
      },
      async (sandbox) => {
        expect(describeFaults(sandbox.faults())).toEqual([
          "outage: every auth request gets an HTML 503 until 2026-03-01T12:00:30.000Z",
          "failNext: the next auth request gets a connection reset",
          "rateLimit: the next auth request gets 429 with Retry-After: 30",
          'authError: the next auth request gets AUTH_ERR_020 "Merchant is inactive."',
          "malformed: the next auth request gets a malformed 200 (html)",
          "tokenLifetimeSeconds: tokens live 5 s, whatever minutes are asked"
        ])
        expect((await authenticate(sandbox.url)).status).toBe(503)
        clock.advance(30_000)
        await expect(authenticate(sandbox.url)).rejects.toThrow(TypeError)
        const limited = await authenticate(sandbox.url)
        expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "30"])
        expect((await authenticate(sandbox.url)).body).toEqual({
          errorCode: "AUTH_ERR_020",
          errorMessage: "Merchant is inactive."
        })
        expect((await authenticate(sandbox.url)).headers.get("content-type")).toBe("text/html")
        const claims = claimsOf(await mint(sandbox.url))
        expect(claims.exp - claims.iat).toBe(5)
        expect(describeFaults(sandbox.faults())).toEqual([
          "tokenLifetimeSeconds: tokens live 5 s, whatever minutes are asked"
        ])
      }
    )
  })

  it("do not keep stop() waiting on a delayed request: it is cut short and reset", async () => {
    const log: Array<RequestLogEntry> = []
    const sandbox = await startSandbox({ faults: { delayMs: 60_000 }, onRequest: (entry) => log.push(entry) })
    const pending = fetch(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers: merchant }).catch(
      (e: unknown) => e
    )
    await expect.poll(() => sandbox.counters().faults.delay).toBe(1)
    await sandbox.stop()
    expect(await pending).toBeInstanceOf(TypeError)
    // Had the delay run its course, the entry would carry the 200 of a normal answer.
    expect(log.map(({ durationMs: _, ...entry }) => entry)).toEqual([
      {
        method: "POST",
        path: "/v1/authenticate-token",
        endpoint: "/v1/authenticate-token",
        status: null,
        errorCode: null,
        fault: "delay"
      }
    ])
    expect(sandbox.counters().statuses).toEqual({})
  })
})
