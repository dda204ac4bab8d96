import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { corsHeaders, corsPolicy, preflightHeaders } from "../src/Cors.js"
import { type Sandbox, startSandbox } from "../src/Sandbox.js"
import { SandboxConfigError } from "../src/SandboxConfigError.js"
import { call, merchant } from "./support.js"

const demo = "http://localhost:5173"

describe("corsPolicy", () => {
  it.each<[string, Parameters<typeof corsPolicy>[0], unknown]>([
    ["no option", undefined, undefined],
    ["a wildcard", "*", { _tag: "Any" }],
    ["a wildcard in a list", [demo, "*"], { _tag: "Any" }],
    ["one origin", demo, { _tag: "Origins", origins: new Set([demo]) }],
    ["an origin with a trailing slash", `${demo}/`, { _tag: "Origins", origins: new Set([demo]) }],
    [
      "several origins",
      [demo, "https://demo.example"],
      { _tag: "Origins", origins: new Set([demo, "https://demo.example"]) }
    ]
  ])("reads %s", (_, option, want) => {
    expect(corsPolicy(option)).toEqual(want)
  })

  it.each([["localhost:5173"], ["http://localhost:5173/app"], ["file:///tmp/x.html"], ["null"]])(
    "refuses %s",
    (origin) => {
      expect(() => corsPolicy(origin)).toThrow(SandboxConfigError)
    }
  )
})

describe("corsHeaders", () => {
  const listed = corsPolicy(demo)

  it("adds nothing without a policy", () => {
    expect(corsHeaders(undefined, demo)).toEqual({})
  })

  it("allows any origin with *, exposing Date and Retry-After", () => {
    expect(corsHeaders(corsPolicy("*"), "https://anything.example")).toEqual({
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": "Date, Retry-After"
    })
  })

  it("echoes a listed origin and varies on Origin", () => {
    expect(corsHeaders(listed, demo)).toEqual({
      "Access-Control-Allow-Origin": demo,
      "Access-Control-Expose-Headers": "Date, Retry-After",
      Vary: "Origin"
    })
  })

  it("allows nothing to an unlisted or absent origin", () => {
    expect(corsHeaders(listed, "http://evil.example")).toEqual({ Vary: "Origin" })
    expect(corsHeaders(listed, undefined)).toEqual({ Vary: "Origin" })
  })
})

describe("preflightHeaders", () => {
  it("allows the auth headers, Prefer and Content-Type, every method, for ten minutes", () => {
    expect(preflightHeaders(corsPolicy(demo), demo)).toEqual({
      "Access-Control-Allow-Origin": demo,
      "Access-Control-Expose-Headers": "Date, Retry-After",
      Vary: "Origin",
      "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
      "Access-Control-Allow-Headers":
        "apiKey, secretKey, scope, jwtTokenExpiryMinutes, refreshToken, token, Prefer, Content-Type",
      "Access-Control-Max-Age": "600"
    })
  })

  it("allows nothing to an unlisted origin", () => {
    expect(preflightHeaders(corsPolicy(demo), "http://evil.example")).toEqual({ Vary: "Origin" })
  })
})

describe("CORS over HTTP", () => {
  let sandbox: Sandbox
  let closed: Sandbox
  beforeAll(async () => {
    ;[sandbox, closed] = await Promise.all([startSandbox({ corsOrigin: demo }), startSandbox()])
  })
  afterAll(() => Promise.all([sandbox?.stop(), closed?.stop()]))

  const preflight = (base: string, origin: string) =>
    call(`${base}/v1/authenticate-token`, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "apikey,secretkey,scope,jwttokenexpiryminutes"
      }
    })

  it("answers a preflight from the configured origin with 204 and the allowed headers, uncounted as a request", async () => {
    const answer = await preflight(sandbox.url, demo)
    expect(answer.status).toBe(204)
    expect(answer.headers.get("access-control-allow-origin")).toBe(demo)
    expect(answer.headers.get("access-control-allow-headers")).toBe(
      "apiKey, secretKey, scope, jwtTokenExpiryMinutes, refreshToken, token, Prefer, Content-Type"
    )
    expect(answer.headers.get("access-control-allow-methods")).toContain("POST")
    expect(sandbox.counters().preflights).toBe(1)
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBe(0)
  })

  it("allows nothing to another origin, or when no origin is configured", async () => {
    expect((await preflight(sandbox.url, "http://evil.example")).headers.get("access-control-allow-origin")).toBeNull()
    expect((await preflight(closed.url, demo)).headers.get("access-control-allow-origin")).toBeNull()
  })

  it("lets the page read every answer, faults included, with Date and Retry-After exposed", async () => {
    sandbox.setFaults({ rateLimit: {} })
    const answers = [
      await call(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers: { ...merchant, Origin: demo } }),
      await call(`${sandbox.url}/v1/authenticate-token`, { method: "POST", headers: { ...merchant, Origin: demo } }),
      await call(`${sandbox.url}/api/x`, { headers: { Origin: demo } }),
      await call(`${sandbox.url}/nowhere`, { headers: { Origin: demo } }),
      await call(`${sandbox.url}/_sandbox/counters`, { headers: { Origin: demo } })
    ]
    expect(answers.map((a) => a.status)).toEqual([429, 200, 401, 404, 200])
    for (const answer of answers) {
      expect(answer.headers.get("access-control-allow-origin")).toBe(demo)
      expect(answer.headers.get("access-control-expose-headers")).toBe("Date, Retry-After")
    }
  })
})
