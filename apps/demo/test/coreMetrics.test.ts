import { createTokenManager } from "@ipos/auth-core"
import { demoCredentials, startSandbox } from "@ipos/auth-sandbox"
import { describe, expect, it } from "vitest"
import { readCoreMetrics, summarizeMetrics } from "../src/coreMetrics.js"

describe("summarizeMetrics", () => {
  it("adds up the core's series by outcome and route", () => {
    const counter = (id: string, attributes: Record<string, string>, count: number) => ({
      id,
      attributes,
      state: { count, incremental: true }
    })
    expect(
      summarizeMetrics([
        counter("ipos_auth_requests_total", { operation: "authenticate", outcome: "success", code: "none" }, 3),
        counter("ipos_auth_requests_total", { operation: "refresh", outcome: "success", code: "none" }, 2),
        counter("ipos_auth_requests_total", { operation: "refresh", outcome: "unavailable", code: "Unavailable" }, 4),
        counter(
          "ipos_auth_requests_total",
          { operation: "authenticate", outcome: "rejected", code: "AUTH_ERR_004" },
          1
        ),
        counter("ipos_auth_retries_total", { operation: "refresh", code: "Unavailable" }, 6),
        counter(
          "ipos_auth_acquisitions_total",
          { scope: "Recurring", via: "authenticate", outcome: "success", code: "none" },
          3
        ),
        counter(
          "ipos_auth_acquisitions_total",
          { scope: "Recurring", via: "refresh", outcome: "success", code: "none" },
          2
        ),
        counter(
          "ipos_auth_acquisitions_total",
          { scope: "Recurring", via: "refresh", outcome: "failure", code: "Unavailable" },
          1
        ),
        counter(
          "ipos_auth_acquisitions_total",
          { scope: "Recurring", via: "authenticate", outcome: "failure", code: "AUTH_ERR_004" },
          1
        ),
        { id: "ipos_auth_degraded", attributes: { scope: "Recurring" }, state: { value: 1 } },
        { id: "unrelated_total", attributes: undefined, state: { count: 99 } }
      ])
    ).toEqual({ requestsOk: 5, requestsFailed: 5, retries: 6, authenticated: 3, refreshed: 2, acquisitionFailures: 2 })
  })

  it("is all zeros before anything happened", () => {
    expect(summarizeMetrics([])).toEqual({
      requestsOk: 0,
      requestsFailed: 0,
      retries: 0,
      authenticated: 0,
      refreshed: 0,
      acquisitionFailures: 0
    })
  })
})

describe("readCoreMetrics", () => {
  it("reads what a real manager recorded in the default registry", async () => {
    const sandbox = await startSandbox()
    const merchant = demoCredentials[0]!
    const manager = createTokenManager({ apiKey: merchant.apiKey, secretKey: merchant.secretKey, baseUrl: sandbox.url })
    try {
      const before = readCoreMetrics()
      await manager.getToken()
      await manager.getToken() // a cache hit: no call
      await manager.refresh()
      await createTokenManager({
        apiKey: merchant.apiKey,
        secretKey: "wrong",
        baseUrl: sandbox.url,
        retry: { maxAttempts: 1 }
      })
        .getToken()
        .catch(() => undefined)
      const after = readCoreMetrics()
      expect({
        requestsOk: after.requestsOk - before.requestsOk,
        requestsFailed: after.requestsFailed - before.requestsFailed,
        authenticated: after.authenticated - before.authenticated,
        refreshed: after.refreshed - before.refreshed,
        acquisitionFailures: after.acquisitionFailures - before.acquisitionFailures
      }).toEqual({ requestsOk: 2, requestsFailed: 1, authenticated: 1, refreshed: 1, acquisitionFailures: 1 })
    } finally {
      await manager.close()
      await sandbox.stop()
    }
  })
})
