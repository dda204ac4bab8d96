import { describe, expect, it } from "@effect/vitest"
import { formatEvent, type TokenEvent } from "../src/TokenEvents.js"

const base = { scope: "Recurring", credentialsId: "0badc0de", at: 0 } as const

describe("TokenEvents", () => {
  it.each<[TokenEvent, string]>([
    [
      {
        ...base,
        _tag: "Minted",
        fingerprint: "…abcdef",
        expiresAt: Date.UTC(2030, 0, 1),
        refreshAt: 0,
        lifetimeMs: 1,
        clockOffsetMs: 0,
        durationMs: 3
      },
      "Minted Recurring …abcdef expires 2030-01-01T00:00:00.000Z"
    ],
    [
      {
        ...base,
        _tag: "RefreshFailed",
        error: {
          _tag: "Timeout",
          kind: "unavailable",
          retryable: true,
          message: "iPOSpays refresh timed out after 10 ms"
        },
        consecutiveFailures: 2,
        expiresAt: Date.UTC(2030, 0, 1),
        retryAt: 0
      },
      "RefreshFailed Recurring (2 in a row): iPOSpays refresh timed out after 10 ms; token valid until 2030-01-01T00:00:00.000Z"
    ],
    [{ ...base, _tag: "Invalidated", fingerprint: "…abcdef" }, "Invalidated Recurring …abcdef"],
    [{ ...base, _tag: "Evicted", reason: "idle", fingerprint: "…abcdef" }, "Evicted Recurring 0badc0de (idle)"],
    [{ ...base, _tag: "Expired", fingerprint: "…abcdef", expiresAt: 0 }, "Expired Recurring …abcdef"],
    [
      { ...base, _tag: "Degraded", consecutiveFailures: 1, expiresAt: 0 },
      "Degraded Recurring: serving a valid token while refreshes fail (1 in a row)"
    ],
    [{ ...base, _tag: "Recovered", fingerprint: "…abcdef" }, "Recovered Recurring …abcdef"]
  ])("formats %o", (event, line) => {
    expect(formatEvent(event)).toBe(line)
  })
})
