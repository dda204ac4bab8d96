import { describe, expect, it } from "vitest"
import { formatLine } from "../src/Log.js"

const at = new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 5))

describe("Log", () => {
  it("writes text with an ISO time and the level", () => {
    expect(formatLine("text", "token ready: Recurring", { level: "warn", event: "token_acquired" }, at)).toBe(
      "2026-11-30T12:00:00.005Z WARN ipos-auth-proxy: token ready: Recurring"
    )
  })

  it("writes one JSON object: ts, level, event, msg, then the defined fields", () => {
    const line = formatLine(
      "json",
      "token unavailable",
      { level: "error", event: "token_unavailable", fields: { scope: "Recurring", code: undefined, failures: 2 } },
      at
    )
    expect(line).toBe(
      '{"ts":"2026-11-30T12:00:00.005Z","level":"error","event":"token_unavailable","msg":"token unavailable","scope":"Recurring","failures":2}'
    )
  })
})
