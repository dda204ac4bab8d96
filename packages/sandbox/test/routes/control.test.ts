import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Sandbox, startSandbox } from "../../src/Sandbox.js"
import { authenticate, call, jsonType, merchant, mint, postControl, refresh } from "../support.js"

const zeroFaults = { outage: 0, failNext: 0, rateLimit: 0, authError: 0, malformed: 0, delay: 0 }

describe("the control API /_sandbox", () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox()
  })
  beforeEach(() => sandbox.reset())
  afterAll(() => sandbox?.stop())

  it("answers GET /_sandbox/health", async () => {
    expect(await call(`${sandbox.url}/_sandbox/health`)).toMatchObject({ status: 200, body: { status: "ok" } })
  })

  it("counts requests per endpoint, errors per code and responses per status, but not itself", async () => {
    const token = await mint(sandbox.url)
    await authenticate(sandbox.url, { ...merchant, secretKey: "wrong" })
    await authenticate(sandbox.url, { ...merchant, scope: "ExternalApi" })
    await refresh(sandbox.url, { token })
    await call(`${sandbox.url}/api/things`, { headers: { token } })
    await call(`${sandbox.url}/api/things`)
    await call(`${sandbox.url}/.well-known/jwks.json`)
    await call(`${sandbox.url}/nowhere`)
    await call(`${sandbox.url}/_sandbox/faults`)
    expect((await call(`${sandbox.url}/_sandbox/counters`)).body).toEqual({
      requests: {
        "/v1/authenticate-token": 3,
        "/v1/refresh-token": 1,
        "/api": 2,
        "/.well-known/jwks.json": 1,
        other: 1
      },
      errors: { AUTH_ERR_004: 1, AUTH_ERR_005: 1, AUTH_ERR_009: 1 },
      statuses: { "200": 6, "401": 1, "404": 1 },
      faults: zeroFaults,
      preflights: 0
    })
  })

  it("zeroes the counters with DELETE /_sandbox/counters", async () => {
    await mint(sandbox.url)
    const answer = await call(`${sandbox.url}/_sandbox/counters`, { method: "DELETE" })
    expect(answer.body).toEqual(sandbox.counters())
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBe(0)
  })

  it("goes back to the start-up state with POST /_sandbox/reset", async () => {
    await mint(sandbox.url)
    sandbox.setFaults({ delayMs: 10 })
    const answer = await postControl(`${sandbox.url}/_sandbox/reset`)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ faults: sandbox.faults(), counters: sandbox.counters() })
    expect(sandbox.faults().delayMs).toBe(0)
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBe(0)
  })

  it.each<[string, string | undefined, number, unknown]>([
    ["no body", undefined, 200, { revoked: 0 }],
    ["an empty object", "{}", 200, { revoked: 0 }],
    ["an unknown uniqueId", '{"uniqueId":"00000000-0000-4000-8000-000000000000"}', 200, { revoked: 0 }],
    [
      "a non-string uniqueId",
      '{"uniqueId":42}',
      400,
      { error: "Bad Request", message: "the body must be {} or { uniqueId }" }
    ],
    ["other fields", '{"all":true}', 400, { error: "Bad Request", message: "the body must be {} or { uniqueId }" }],
    ["an array", "[]", 400, { error: "Bad Request", message: "the body must be {} or { uniqueId }" }],
    ["broken JSON", "{", 400, { error: "Bad Request", message: "the body is not valid JSON" }]
  ])("answers POST /_sandbox/revoke with %s", async (_, body, status, want) => {
    expect(await postControl(`${sandbox.url}/_sandbox/revoke`, body)).toMatchObject({ status, body: want })
  })

  it.each<[string, string, number, string | null]>([
    ["GET", "/_sandbox/revoke", 405, "POST"],
    ["PUT", "/_sandbox/faults", 405, "GET, POST, DELETE, HEAD"],
    ["POST", "/_sandbox/counters", 405, "GET, DELETE, HEAD"],
    ["GET", "/_sandbox/reset", 405, "POST"],
    ["GET", "/_sandbox/nothing", 404, null],
    ["GET", "/_sandbox", 404, null]
  ])("answers %s %s with %s", async (method, path, status, allow) => {
    const answer = await call(`${sandbox.url}${path}`, { method, headers: jsonType })
    expect([answer.status, answer.headers.get("allow"), answer.headers.get("content-type")]).toEqual([
      status,
      allow,
      "application/json"
    ])
  })
})
