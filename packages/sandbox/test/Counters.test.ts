import { describe, expect, it } from "vitest"
import { Counters, endpoints } from "../src/Counters.js"

const zeroFaults = { outage: 0, failNext: 0, rateLimit: 0, authError: 0, malformed: 0, delay: 0 }

describe("Counters", () => {
  it("starts at zero for every endpoint and fault, with no errors or statuses", () => {
    expect(new Counters().snapshot()).toEqual({
      requests: {
        "/v1/authenticate-token": 0,
        "/v1/refresh-token": 0,
        "/api": 0,
        "/.well-known/jwks.json": 0,
        other: 0
      },
      errors: {},
      statuses: {},
      faults: zeroFaults,
      preflights: 0
    })
    expect(Object.keys(new Counters().snapshot().requests)).toEqual(endpoints)
  })

  it("counts requests, errors per code, statuses, faults and preflights", () => {
    const counters = new Counters()
    counters.request("/v1/authenticate-token")
    counters.request("/v1/authenticate-token")
    counters.request("/api")
    counters.error("AUTH_ERR_004")
    counters.error("AUTH_ERR_004")
    counters.error("AUTH_ERR_013")
    counters.status(200)
    counters.status(401)
    counters.status(200)
    counters.fault("rateLimit")
    counters.preflight()
    const snapshot = counters.snapshot()
    expect(snapshot.requests["/v1/authenticate-token"]).toBe(2)
    expect(snapshot.requests["/api"]).toBe(1)
    expect(snapshot.errors).toEqual({ AUTH_ERR_004: 2, AUTH_ERR_013: 1 })
    expect(snapshot.statuses).toEqual({ "200": 2, "401": 1 })
    expect(snapshot.faults).toEqual({ ...zeroFaults, rateLimit: 1 })
    expect(snapshot.preflights).toBe(1)
  })

  it("hands out snapshots that later counting does not change", () => {
    const counters = new Counters()
    const before = counters.snapshot()
    counters.request("other")
    counters.error("AUTH_ERR_001")
    expect(before.requests.other).toBe(0)
    expect(before.errors).toEqual({})
  })

  it("resets to zero", () => {
    const counters = new Counters()
    counters.request("/v1/refresh-token")
    counters.status(500)
    counters.preflight()
    counters.reset()
    expect(counters.snapshot()).toEqual(new Counters().snapshot())
  })
})
