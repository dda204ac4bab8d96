import type { TokenEvent } from "@ipos/auth-core"
import { describe, expect, it } from "vitest"
import { describeEvent } from "../src/timeline.js"

const base = { scope: "PaymentTokenization", credentialsId: "c1d2e3", at: 1_000 } as const
const unavailable = {
  _tag: "Unavailable",
  kind: "unavailable",
  retryable: true,
  message: "iPOSpays refresh unavailable: HTTP 503"
} as const
const arrived = {
  fingerprint: "…a1b2c3",
  expiresAt: 21_000,
  refreshAt: 12_000,
  lifetimeMs: 20_000,
  clockOffsetMs: 0,
  durationMs: 35.6
}

const cases: ReadonlyArray<readonly [TokenEvent, string, string, string]> = [
  [{ ...base, _tag: "Minted", ...arrived }, "Acquired", "…a1b2c3 · lives 0:20 · took 36 ms", "good"],
  [{ ...base, _tag: "Refreshed", ...arrived }, "Refreshed", "…a1b2c3 · lives 0:20 · took 36 ms", "good"],
  [
    { ...base, _tag: "RefreshFailed", error: unavailable, consecutiveFailures: 2, expiresAt: 21_000, retryAt: 3_000 },
    "Refresh failed",
    "Unavailable (2 in a row) · still serving the held token",
    "warn"
  ],
  [
    {
      ...base,
      _tag: "AcquisitionFailed",
      error: {
        _tag: "InvalidCredentials",
        kind: "rejected",
        code: "AUTH_ERR_004",
        retryable: false,
        message: "AUTH_ERR_004: Invalid Credentials, Please Contact Support Team."
      }
    },
    "Acquisition failed",
    "AUTH_ERR_004: Invalid Credentials, Please Contact Support Team.",
    "bad"
  ],
  [
    { ...base, _tag: "Expired", fingerprint: "…a1b2c3", expiresAt: 21_000 },
    "Expired",
    "…a1b2c3 reached its safety margin",
    "bad"
  ],
  [
    { ...base, _tag: "Invalidated", fingerprint: "…a1b2c3" },
    "Invalidated",
    "…a1b2c3 dropped (refused downstream)",
    "warn"
  ],
  [
    { ...base, _tag: "Degraded", consecutiveFailures: 1, expiresAt: 21_000 },
    "Degraded",
    "refreshes fail; the held token is served until it expires",
    "bad"
  ],
  [{ ...base, _tag: "Recovered", fingerprint: "…d4e5f6" }, "Recovered", "…d4e5f6 · refreshes work again", "good"],
  [{ ...base, _tag: "Evicted", reason: "idle", fingerprint: "…a1b2c3" }, "Evicted", "…a1b2c3 dropped (idle)", "info"],
  [
    { ...base, _tag: "Evicted", reason: "explicit", fingerprint: undefined },
    "Evicted",
    "no token dropped (explicit)",
    "info"
  ],
  [
    { ...base, _tag: "StoreDegraded", reason: "timeout" },
    "Shared store unreachable",
    "timeout · acquiring in this page alone",
    "warn"
  ],
  [{ ...base, _tag: "StoreRecovered" }, "Shared store back", "tokens are shared again", "good"]
]

describe("describeEvent", () => {
  it.each(cases)("%o", (event, title, detail, tone) => {
    expect(describeEvent(event)).toEqual({ at: 1_000, title, detail, tone })
  })
})
