import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { controlAccess, controlRefusal, isLoopbackHost } from "../src/ControlAccess.js"
import { type Sandbox, startSandbox } from "../src/Sandbox.js"
import { SandboxConfigError } from "../src/SandboxConfigError.js"
import { merchant, send } from "./support.js"

const json = { "Content-Type": "application/json" }
const outage = JSON.stringify({ outage: { seconds: 30 } })
const hostMessage = (host: string) =>
  `the control API answers only requests addressed to the sandbox itself, and Host "${host}" is not a loopback name, an IP address, the bound host or an allowed host (option allowedHosts, IPOS_SANDBOX_ALLOWED_HOSTS, ipos-auth sandbox --allowed-hosts)`
const originMessage = (origin: string) =>
  `the control API refuses pages from Origin "${origin}": only loopback origins and allowed origins may use it (option allowedOrigins, IPOS_SANDBOX_ALLOWED_ORIGINS, ipos-auth sandbox --allowed-origins)`

describe("isLoopbackHost", () => {
  it.each<[string, boolean]>([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["LOCALHOST", true],
    ["demo.localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.5", false],
    ["localhost.attacker.example", false],
    ["127.0.0.1.nip.io", false],
    ["my-laptop", false]
  ])("%s: %s", (host, want) => {
    expect(isLoopbackHost(host)).toBe(want)
  })
})

describe("the control API's guard", () => {
  let sandbox: Sandbox
  let listed: Sandbox
  beforeAll(async () => {
    ;[sandbox, listed] = await Promise.all([
      startSandbox({ corsOrigin: "*" }),
      startSandbox({ allowedOrigins: ["https://app.example"], allowedHosts: "sandbox" })
    ])
  })
  afterAll(() => Promise.all([sandbox?.stop(), listed?.stop()]))

  it("refuses a cross-site simple POST (text/plain from a foreign page) and changes nothing", async () => {
    const answer = await send(
      sandbox.port,
      "POST",
      "/_sandbox/faults",
      { "Content-Type": "text/plain", Origin: "http://evil.example" },
      outage
    )
    expect([answer.status, answer.body]).toEqual([
      403,
      { error: "Forbidden", refused: "Origin", message: originMessage("http://evil.example") }
    ])
    expect(sandbox.faults().outage).toBeNull()
  })

  it("refuses a foreign page even when it sends JSON, and a page without an origin (null)", async () => {
    for (const origin of ["http://evil.example", "https://localhost.evil.example", "null"]) {
      const answer = await send(sandbox.port, "POST", "/_sandbox/faults", { ...json, Origin: origin }, outage)
      expect([answer.status, answer.body]).toEqual([
        403,
        { error: "Forbidden", refused: "Origin", message: originMessage(origin) }
      ])
    }
    expect(sandbox.faults().outage).toBeNull()
  })

  it("refuses a control write that is not JSON, with no content type too, and changes nothing", async () => {
    for (const [type, shown] of [
      ["text/plain", '"text/plain"'],
      ["application/x-www-form-urlencoded", '"application/x-www-form-urlencoded"'],
      [undefined, "none"]
    ] as const) {
      const headers: Record<string, string> = type === undefined ? {} : { "Content-Type": type }
      const answer = await send(sandbox.port, "POST", "/_sandbox/reset", headers)
      expect([answer.status, answer.body]).toEqual([
        415,
        {
          error: "Unsupported Media Type",
          refused: "Content-Type",
          message: `control writes must be sent with Content-Type: application/json, also when the body is empty (got ${shown})`
        }
      ])
    }
  })

  it("refuses a foreign Host (DNS rebinding), on reads too", async () => {
    for (const host of [
      "attacker.example",
      "attacker.example:8080",
      "127.0.0.1.nip.io",
      "localhost.attacker.example"
    ]) {
      const answer = await send(sandbox.port, "GET", "/_sandbox/counters", { Host: host })
      expect([answer.status, answer.body]).toEqual([
        403,
        { error: "Forbidden", refused: "Host", message: hostMessage(host) }
      ])
    }
  })

  it("serves loopback names and IP addresses on any port, and loopback pages on any port", async () => {
    for (const host of ["localhost", "localhost:1", "127.0.0.1:9", "[::1]:5173", "app.localhost", "10.1.2.3:80"]) {
      expect((await send(sandbox.port, "GET", "/_sandbox/counters", { Host: host })).status).toBe(200)
    }
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:4173", "http://[::1]:3000", "https://localhost"]) {
      const answer = await send(sandbox.port, "POST", "/_sandbox/faults", { ...json, Origin: origin }, "{}")
      expect(answer.status).toBe(200)
    }
    const applied = await send(
      sandbox.port,
      "POST",
      "/_sandbox/faults",
      { "Content-Type": "Application/JSON; charset=utf-8" },
      outage
    )
    expect(applied.status).toBe(200)
    expect(sandbox.faults().outage).not.toBeNull()
    sandbox.clearFaults()
  })

  it("serves the allowed origins and hosts, and only them", async () => {
    const origin = await send(listed.port, "POST", "/_sandbox/faults", { ...json, Origin: "https://app.example" }, "{}")
    expect(origin.status).toBe(200)
    const other = await send(
      listed.port,
      "POST",
      "/_sandbox/faults",
      { ...json, Origin: "https://other.example" },
      "{}"
    )
    expect(other.status).toBe(403)
    expect((await send(listed.port, "GET", "/_sandbox/faults", { Host: "sandbox:8080" })).status).toBe(200)
    expect((await send(listed.port, "GET", "/_sandbox/faults", { Host: "sandbox.example" })).status).toBe(403)
  })

  it("leaves the service endpoints and the echo API open to any Host and Origin, as the real service is", async () => {
    const headers = { ...merchant, Host: "attacker.example", Origin: "http://evil.example" }
    const minted = await send(sandbox.port, "POST", "/v1/authenticate-token", headers)
    expect(minted.status).toBe(200)
    expect(minted.headers.get("access-control-allow-origin")).toBe("*")
    const token = (minted.body as { token: string }).token
    const echoed = await send(sandbox.port, "GET", "/api/x", {
      token,
      Host: "attacker.example",
      Origin: "http://evil.example"
    })
    expect(echoed.status).toBe(200)
  })

  it("refuses every Host that is not an address, a loopback name or allowed", () => {
    const access = controlAccess("127.0.0.1", ["sandbox"], undefined)
    fc.assert(
      fc.property(
        fc.domain().filter((name) => name !== "sandbox" && name !== "localhost" && !name.endsWith(".localhost")),
        fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
        (name, port) => {
          const host = port === undefined ? name : `${name}:${port}`
          const request = { method: "GET", path: "/_sandbox/counters", headers: { host }, body: Buffer.alloc(0) }
          const refusal = controlRefusal(access, request)
          return refusal?._tag === "Send" && refusal.status === 403 && JSON.parse(refusal.body).refused === "Host"
        }
      )
    )
  })

  it("refuses every page whose origin is not loopback or allowed, whatever its scheme and port", () => {
    const access = controlAccess("127.0.0.1", undefined, ["https://app.example"])
    fc.assert(
      fc.property(
        fc.constantFrom("http", "https"),
        fc.domain().filter((name) => name !== "app.example" && name !== "localhost" && !name.endsWith(".localhost")),
        fc.integer({ min: 1, max: 65_535 }),
        (scheme, name, port) => {
          const headers = { origin: `${scheme}://${name}:${port}`, "content-type": "application/json" }
          const refusal = controlRefusal(access, {
            method: "POST",
            path: "/_sandbox/reset",
            headers,
            body: Buffer.alloc(0)
          })
          return refusal?._tag === "Send" && refusal.status === 403 && JSON.parse(refusal.body).refused === "Origin"
        }
      )
    )
  })

  it.each<[string, Parameters<typeof startSandbox>[0], string]>([
    [
      "an allowed origin with a path",
      { allowedOrigins: "http://app.example/page" },
      'allowedOrigins must be "*" or origins like http://localhost:5173 (got "http://app.example/page")'
    ],
    [
      "an allowed host with a port",
      { allowedHosts: ["sandbox:8080"] },
      'allowedHosts must be "*" or host names like sandbox.internal (no scheme, port or path) (got "sandbox:8080")'
    ]
  ])("refuses %s at start-up", async (_, options, message) => {
    await expect(startSandbox(options)).rejects.toThrow(new SandboxConfigError(message))
  })
})
