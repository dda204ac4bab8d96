/**
 * Several scopes through one proxy: each route's requests carry a token of its scope, the tokens
 * come from one manager, and the reserved paths and metrics report each scope.
 */
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { eventually, sample, send, startTestProxy, startUpstream, type TestUpstream } from "./support/harness.js"

let sandbox: Sandbox
let upstream: TestUpstream
beforeAll(async () => {
  sandbox = await startSandbox()
  upstream = await startUpstream((req, res) => {
    const token = String(req.headers.token ?? "")
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"))
    res.end(String(claims.scope))
  })
})
afterAll(async () => {
  await upstream.close()
  await sandbox.stop()
})

describe("--route", () => {
  it("injects each route's scope, one token per scope, and reports each", async () => {
    const proxy = await startTestProxy(upstream.url, sandbox.url, [
      "--route",
      "/reports/=BatchReport",
      "--route",
      "/recurring/=Recurring"
    ])
    await eventually(async () => (await send(proxy.port, { path: "/_ipos/ready" })).status === 200)
    expect((await send(proxy.port, { path: "/pay" })).text).toBe("paymentTokenize")
    expect((await send(proxy.port, { path: "/reports/daily?day=1" })).text).toBe("batchReport")
    expect((await send(proxy.port, { path: "/recurring/plans" })).text).toBe("recurring")
    expect((await send(proxy.port, { path: "/reports/x" })).text).toBe("batchReport")
    // One token per scope: three authentications in all.
    expect(sandbox.counters().requests["/v1/authenticate-token"]).toBe(3)

    const ready = (await send(proxy.port, { path: "/_ipos/ready" })).json()
    expect(ready).toEqual({
      ready: true,
      state: "ready",
      scopes: {
        PaymentTokenization: { ready: true, state: "ready" },
        BatchReport: { ready: true, state: "ready" },
        Recurring: { ready: true, state: "ready" }
      }
    })
    const token = (await send(proxy.port, { path: "/_ipos/token" })).json()
    expect(token.scope).toBe("PaymentTokenization")
    const scopes = token.scopes as Record<string, { scope: string; state: string; fingerprint: string }>
    expect(Object.keys(scopes)).toEqual(["PaymentTokenization", "BatchReport", "Recurring"])
    for (const [scope, meta] of Object.entries(scopes)) {
      expect(meta.scope).toBe(scope)
      expect(meta.state).toBe("ready")
    }
    expect(new Set(Object.values(scopes).map((m) => m.fingerprint)).size).toBe(3)

    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, 'ipos_proxy_scope_requests_total{scope="BatchReport",class="2xx"}')).toBe(2)
    expect(sample(metrics, 'ipos_proxy_scope_requests_total{scope="Recurring",class="2xx"}')).toBe(1)
    expect(sample(metrics, 'ipos_proxy_scope_requests_total{scope="PaymentTokenization",class="2xx"}')).toBe(1)
    expect(sample(metrics, 'ipos_proxy_scope_token_ready{scope="BatchReport"}')).toBe(1)
    expect(sample(metrics, 'ipos_proxy_requests_total{class="2xx"}')).toBe(4)
    await proxy.stop()
  }, 60_000)

  it("fails closed per scope: a scope the credentials may not use does not stop the others", async () => {
    // The agent office credential holds ExternalApi only.
    const proxy = await startTestProxy(
      upstream.url,
      sandbox.url,
      ["--scope", "ExternalApi", "--route", "/reports/=BatchReport"],
      {
        apiKey: "demo-agent-office-api-key",
        secretKey: "demo-agent-office-secret-key"
      }
    )
    await eventually(() => proxy.source.current() !== undefined)
    expect((await send(proxy.port, { path: "/api" })).status).toBe(200)
    const refused = await send(proxy.port, { path: "/reports/daily" })
    expect(refused.status).toBe(502)
    const ready = await send(proxy.port, { path: "/_ipos/ready" })
    expect(ready.status).toBe(503)
    expect((ready.json().scopes as Record<string, { ready: boolean }>).ExternalApi?.ready).toBe(true)
    const metrics = (await send(proxy.port, { path: "/_ipos/metrics" })).text
    expect(sample(metrics, 'ipos_proxy_scope_fail_closed_total{scope="BatchReport",kind="rejected"}')).toBe(1)
    await proxy.stop()
  }, 60_000)
})
