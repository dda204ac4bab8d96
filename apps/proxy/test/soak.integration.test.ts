/**
 * The bounded soak: concurrent clients through the proxy to the sandbox's `/api` echo for a few
 * seconds, with short-lived tokens (so background refreshes happen) and auth faults injected
 * through the sandbox's control API all along, while a token is held. Bounded in time and count;
 * the figures are checked, never timed.
 */
import type { RequestLogEntry } from "@ipos/auth-sandbox"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { afterAll, beforeAll, expect, it } from "vitest"
import { control, eventually, send, startTestProxy, type TestProxy } from "./support/harness.js"

const SOAK_MS = 6000
const CLIENTS = 8
const MAX_REQUESTS = 20_000

let sandbox: Sandbox
let proxy: TestProxy
const echoRefusals: Array<RequestLogEntry> = []

beforeAll(async () => {
  sandbox = await startSandbox({
    tokenLifetimeSeconds: 8,
    onRequest: (entry) => {
      if (entry.path.startsWith("/api") && entry.status !== 200) echoRefusals.push(entry)
    }
  })
  proxy = await startTestProxy(sandbox.url, sandbox.url)
  await eventually(() => proxy.source.current() !== undefined)
})
afterAll(async () => {
  await proxy?.stop()
  await sandbox?.stop()
})

it("serves every request with a valid token while auth faults come and go", async () => {
  const faults: ReadonlyArray<unknown> = [
    { failNext: { count: 2, status: 503 } },
    { rateLimit: { count: 1, retryAfterSeconds: 1 } },
    { malformed: { count: 1, kind: "html" } },
    { failNext: { count: 1, reset: true } },
    { authError: { count: 1, errorCode: "AUTH_ERR_099" } },
    { delayMs: 300 }
  ]
  const deadline = Date.now() + SOAK_MS
  let sent = 0
  const failures: Array<string> = []
  const client = async (id: number) => {
    while (Date.now() < deadline && sent < MAX_REQUESTS) {
      sent += 1
      const answer = await send(proxy.port, { path: `/api/soak/${id}?n=${sent}` })
      if (answer.status !== 200) failures.push(`${answer.status} ${answer.text}`)
    }
  }
  const faultCount = () => Object.values(sandbox.counters().faults).reduce((a, b) => a + b, 0)
  const authCount = () => {
    const requests = sandbox.counters().requests
    return (requests["/v1/authenticate-token"] ?? 0) + (requests["/v1/refresh-token"] ?? 0)
  }
  const until = async (done: () => boolean) => {
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  }
  // Faults come and go: one is armed until an auth call meets it, then none until an auth call
  // gets through. Counted faults wait for the auth calls they are for, so arming them on a timer
  // would, on a slow machine, stack them into one run of refusals no token outlives: an outage,
  // which is another test's subject.
  const injector = async () => {
    for (let i = 0; Date.now() < deadline; i++) {
      const hits = faultCount()
      expect(await control(sandbox.url, "/_sandbox/faults", faults[i % faults.length])).toBe(200)
      await until(() => faultCount() > hits)
      expect(await control(sandbox.url, "/_sandbox/faults", {}, "DELETE")).toBe(200)
      const calls = authCount()
      await until(() => authCount() > calls)
    }
  }
  await Promise.all([injector(), ...Array.from({ length: CLIENTS }, (_, i) => client(i))])
  const counters = sandbox.counters().requests
  const authCalls = (counters["/v1/authenticate-token"] ?? 0) + (counters["/v1/refresh-token"] ?? 0)
  // Requests the sandbox's faults answered or delayed: only auth calls meet them.
  const faultHits = Object.values(sandbox.counters().faults).reduce((a, b) => a + b, 0)
  process.stdout.write(
    `soak: ${sent} requests by ${CLIENTS} clients in ${SOAK_MS} ms, ${authCalls} auth calls, ${faultHits} hit by faults, ${failures.length} failed\n`
  )
  expect(sent).toBeGreaterThan(CLIENTS)
  // Background refreshes ran through the faults (8-second tokens over 6 s).
  expect(authCalls).toBeGreaterThan(1)
  // The faults did reach the auth service while a token was held (else the soak proves nothing).
  expect(faultHits).toBeGreaterThan(0)
  expect(failures).toEqual([])
  // Zero requests reached the upstream without a valid token (the echo refuses those with a 401).
  expect(echoRefusals).toEqual([])
  expect(proxy.metrics.replays).toBe(0)
})
