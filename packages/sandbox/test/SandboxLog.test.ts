import { describe, expect, it } from "vitest"
import { sandboxOptionsFromEnv } from "../src/Env.js"
import { startSandbox } from "../src/Sandbox.js"
import { requestLogLine } from "../src/SandboxLog.js"

const at = new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 0))
const entry = {
  method: "POST",
  path: "/v1/authenticate-token",
  endpoint: "/v1/authenticate-token",
  status: 200,
  errorCode: "AUTH_ERR_004",
  fault: null,
  durationMs: 3
} as const

describe("SandboxLog", () => {
  it("formats a request as text or one JSON object, warn for an AUTH_ERR answer", () => {
    expect(requestLogLine("text", entry, at)).toBe(
      "2026-11-30T12:00:00.000Z WARN ipos-sandbox: POST /v1/authenticate-token 200 AUTH_ERR_004 3ms"
    )
    expect(JSON.parse(requestLogLine("json", entry, at))).toEqual({
      ts: "2026-11-30T12:00:00.000Z",
      level: "warn",
      event: "request",
      msg: "POST /v1/authenticate-token 200 AUTH_ERR_004 3ms",
      ...entry
    })
  })

  it("reads the format from IPOS_SANDBOX_LOG_FORMAT or IPOS_LOG_FORMAT and refuses others", () => {
    expect(sandboxOptionsFromEnv({ IPOS_SANDBOX_LOG_FORMAT: "json" }).log?.format).toBe("json")
    expect(sandboxOptionsFromEnv({ IPOS_LOG_FORMAT: "text" }).log?.format).toBe("text")
    expect(sandboxOptionsFromEnv({}).log).toBeUndefined()
    expect(() => sandboxOptionsFromEnv({ IPOS_SANDBOX_LOG_FORMAT: "xml" })).toThrow(
      "IPOS_SANDBOX_LOG_FORMAT must be text or json"
    )
  })

  it("logs listening, each request (no key, no token), reset and stopped", async () => {
    const lines: Array<string> = []
    const sandbox = await startSandbox({ log: { format: "json", write: (line) => lines.push(line) } })
    const merchant = sandbox.credentials.find((c) => c.level === "merchant")!
    const answer = await fetch(`${sandbox.url}/v1/authenticate-token?x=1`, {
      method: "POST",
      headers: { apiKey: merchant.apiKey, secretKey: merchant.secretKey, scope: "PaymentTokenization" }
    })
    const body = await answer.text()
    sandbox.reset()
    await sandbox.stop()
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(entries.map((e) => e.event)).toEqual(["listening", "request", "reset", "stopped"])
    expect(entries[1]).toMatchObject({ method: "POST", path: "/v1/authenticate-token", status: 200, level: "info" })
    for (const e of entries) expect(e.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const token = /eyJ[\w-]+\.[\w-]+\.[\w-]+/.exec(body)?.[0]
    expect(token).toBeDefined()
    for (const line of lines) {
      expect(line).not.toContain(merchant.apiKey)
      expect(line).not.toContain(merchant.secretKey)
      expect(line).not.toContain(token)
    }
  })
})
