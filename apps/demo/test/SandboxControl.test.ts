import { describe, expect, it } from "vitest"
import { decodeFaultsSnapshot, decodeSandboxCounters } from "../src/SandboxControl.js"

describe("decodeFaultsSnapshot", () => {
  it.each([
    [
      "every fault on",
      { outage: { endsAt: "2026-01-01T00:00:00.000Z" }, failNext: { count: 2 }, tokenLifetimeSeconds: 60, extra: 1 },
      { outage: { endsAt: "2026-01-01T00:00:00.000Z" }, failNext: { count: 2 }, tokenLifetimeSeconds: 60 }
    ],
    [
      "every fault off",
      { outage: null, failNext: null, tokenLifetimeSeconds: null },
      { outage: null, failNext: null, tokenLifetimeSeconds: null }
    ],
    ["a field missing", { outage: null, failNext: null }, undefined],
    ["an outage without its end", { outage: {}, failNext: null, tokenLifetimeSeconds: null }, undefined],
    ["a count that is a string", { outage: null, failNext: { count: "2" }, tokenLifetimeSeconds: null }, undefined],
    ["a lifetime that is a string", { outage: null, failNext: null, tokenLifetimeSeconds: "60" }, undefined],
    ["an array", [], undefined],
    ["not JSON", undefined, undefined]
  ])("%s", (_, body, want) => {
    expect(decodeFaultsSnapshot(body)).toEqual(want)
  })
})

describe("decodeSandboxCounters", () => {
  it.each([
    [
      "both counters",
      { requests: { "/v1/authenticate-token": 3, "/v1/refresh-token": 1, "/other": 9 } },
      { requests: { "/v1/authenticate-token": 3, "/v1/refresh-token": 1 } }
    ],
    ["a counter missing", { requests: { "/v1/authenticate-token": 3 } }, undefined],
    ["no requests", {}, undefined],
    ["null", null, undefined]
  ])("%s", (_, body, want) => {
    expect(decodeSandboxCounters(body)).toEqual(want)
  })
})
