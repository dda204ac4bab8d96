/**
 * Many processes, one token: real child processes sharing the Redis store, against the sandbox.
 */
import { rmSync } from "node:fs"
import { startSandbox } from "@ipos/auth-sandbox"
import { describe, expect, it } from "vitest"
import { useFixture } from "./support/fixture.js"
import { rawClient, selfSignedCertificate, startOwnRedis } from "./support/redis.js"
import { startReplica } from "./support/replicas.js"

const fx = useFixture()

const authentications = () => fx.sandbox.counters().requests["/v1/authenticate-token"]
const refreshes = () => fx.sandbox.counters().requests["/v1/refresh-token"]

describe("replicas sharing one token through Redis", () => {
  it("8 processes × 1,000 concurrent cold callers make exactly 1 authentication", async () => {
    fx.sandbox.reset()
    const env = { REPLICA_SANDBOX_URL: fx.sandbox.url, REPLICA_REDIS_URL: fx.redisUrl, REPLICA_PREFIX: fx.prefix() }
    const replicas = Array.from({ length: 8 }, () => startReplica({ ...env, REPLICA_CALLERS: "1000" }))
    const reports = await Promise.all(replicas.map((r) => r.report))
    expect(reports.map((r) => r.errorCount)).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(reports.map((r) => r.calls)).toEqual(Array(8).fill(1000))
    expect(reports.map((r) => r.tokens)).toEqual(Array(8).fill(1))
    expect(authentications()).toBe(1)
    expect(refreshes()).toBe(0)
  }, 120_000)

  it("callers at the very start of 8 processes wait for the connection: still exactly 1 authentication", async () => {
    fx.sandbox.reset()
    const env = { REPLICA_SANDBOX_URL: fx.sandbox.url, REPLICA_REDIS_URL: fx.redisUrl, REPLICA_PREFIX: fx.prefix() }
    // No warm-up: the first miss comes while the store is still connecting, as on a cold deploy.
    const replicas = Array.from({ length: 8 }, () =>
      startReplica({ ...env, REPLICA_CALLERS: "10", REPLICA_WARMUP_MS: "0" })
    )
    const reports = await Promise.all(replicas.map((r) => r.report))
    expect(reports.map((r) => r.errorCount)).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(reports.map((r) => r.events.StoreDegraded ?? 0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(authentications()).toBe(1)
  }, 120_000)

  it("a lock holder killed mid-authentication: another process takes over after the lease, no caller error, at most 2 authentications", async () => {
    fx.sandbox.reset()
    fx.sandbox.setFaults({ delayMs: 3000 })
    const p = fx.prefix()
    const env = {
      REPLICA_SANDBOX_URL: fx.sandbox.url,
      REPLICA_REDIS_URL: fx.redisUrl,
      REPLICA_PREFIX: p,
      REPLICA_LEASE_MS: "1500",
      REPLICA_CALLERS: "100"
    }
    const holder = startReplica(env)
    holder.report.catch(() => {})
    const redis = await rawClient(fx.redisUrl)
    try {
      // The holder has the lock: its authentication is held up by the sandbox's delay.
      for (let i = 0; i < 200 && (await redis.keys(`${p}:*:lock`)).length === 0; i++) await sleep(50)
      expect(await redis.keys(`${p}:*:lock`)).toHaveLength(1)
      const waiter = startReplica(env)
      await waiter.ready
      holder.child.kill("SIGKILL")
      const report = await waiter.report
      expect(report.errorCount).toBe(0)
      expect(report.calls).toBe(100)
      expect(report.tokens).toBe(1)
      expect(authentications()).toBeLessThanOrEqual(2)
      expect(authentications()).toBeGreaterThanOrEqual(1)
    } finally {
      redis.destroy()
      fx.sandbox.clearFaults()
    }
  }, 120_000)

  it("with an encryption key the raw value in Redis does not contain the JWT", async () => {
    fx.sandbox.reset()
    const p = fx.prefix()
    const report = await startReplica({
      REPLICA_SANDBOX_URL: fx.sandbox.url,
      REPLICA_REDIS_URL: fx.redisUrl,
      REPLICA_PREFIX: p,
      REPLICA_CALLERS: "1",
      REPLICA_TOKEN_KEY: "a test key, not a secret",
      REPLICA_PRINT_TOKEN: "1",
      // What is checked is the stored value: a slow machine must not make the write time out.
      REPLICA_OP_TIMEOUT_MS: "5000"
    }).report
    expect(report.errorCount).toBe(0)
    expect(report.events.StoreDegraded ?? 0).toBe(0)
    const redis = await rawClient(fx.redisUrl)
    try {
      const [key] = await redis.keys(`${p}:*:token`)
      const raw = await redis.hGet(key ?? "", "v")
      const jwt = report.token ?? ""
      expect(jwt.split(".")).toHaveLength(3)
      expect(raw?.startsWith("v1.")).toBe(true)
      expect(raw).not.toContain(jwt)
      expect(raw).not.toContain(jwt.split(".")[2])
    } finally {
      redis.destroy()
    }
  }, 60_000)

  it("rediss:// (TLS): the replicas share through a TLS-only Redis", async () => {
    fx.sandbox.reset()
    const certificate = selfSignedCertificate()
    const own = await startOwnRedis(certificate)
    try {
      const env = {
        REPLICA_SANDBOX_URL: fx.sandbox.url,
        REPLICA_REDIS_URL: own.url,
        REPLICA_PREFIX: fx.prefix(),
        REPLICA_CALLERS: "10",
        REPLICA_WARMUP_MS: "2000",
        // Trust the test's own certificate authority, as a deployment would its CA.
        NODE_EXTRA_CA_CERTS: certificate.cert
      }
      expect(own.url.startsWith("rediss://")).toBe(true)
      const reports = await Promise.all([startReplica(env).report, startReplica(env).report])
      expect(reports.map((r) => r.errorCount)).toEqual([0, 0])
      expect(reports.map((r) => r.events.StoreDegraded ?? 0)).toEqual([0, 0])
      expect(authentications()).toBe(1)
    } finally {
      await own.stop()
      rmSync(certificate.dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("Redis stopped mid-run and started again: no caller error, no expired token, sharing resumes", async () => {
    fx.sandbox.reset()
    const own = await startOwnRedis()
    const p = fx.prefix()
    try {
      const env = {
        REPLICA_SANDBOX_URL: fx.sandbox.url,
        REPLICA_REDIS_URL: own.url,
        REPLICA_PREFIX: p,
        REPLICA_MODE: "run",
        REPLICA_DURATION_MS: "15000",
        REPLICA_OP_TIMEOUT_MS: "300"
      }
      const replicas = [startReplica(env), startReplica(env), startReplica(env)]
      await Promise.all(replicas.map((r) => r.ready))
      await sleep(1500)
      await own.stop()
      // Tokens dropped while Redis is away: the replicas acquire alone.
      await sleep(1000)
      for (const r of replicas) r.child.kill("SIGUSR2")
      await sleep(1000)
      await own.start()
      // Every replica reconnected (a client and a subscriber each), however slow the machine.
      const probe = await rawClient(own.url)
      try {
        for (let i = 0; i < 300; i++) {
          const clients = (await probe.sendCommand(["CLIENT", "LIST"])) as string
          if (clients.trim().split("\n").length >= 1 + 2 * replicas.length) break
          await sleep(100)
        }
      } finally {
        probe.destroy()
      }
      await sleep(300)
      const before = authentications()
      // Back: the next acquisition is shared again.
      for (const r of replicas) r.child.kill("SIGUSR2")
      const reports = await Promise.all(replicas.map((r) => r.report))
      expect(reports.map((r) => r.errorCount)).toEqual([0, 0, 0])
      expect(reports.map((r) => r.expired)).toEqual([0, 0, 0])
      expect(reports.every((r) => (r.events.StoreDegraded ?? 0) >= 1)).toBe(true)
      expect(reports.every((r) => (r.events.StoreRecovered ?? 0) >= 1)).toBe(true)
      // Three invalidations after Redis came back caused one authentication, not three.
      expect(authentications() - before).toBe(1)
    } finally {
      await own.stop()
    }
  }, 120_000)

  it("short-lived tokens shared by 8 processes are refreshed about once per boundary, not once per process", async () => {
    // 10-second tokens for 30 s (the 20 s for 60 s, shortened to keep the suite short).
    const lifetimeSeconds = 10
    const durationMs = 30_000
    const short = await startSandbox({ tokenLifetimeSeconds: lifetimeSeconds })
    try {
      const env = {
        REPLICA_SANDBOX_URL: short.url,
        REPLICA_REDIS_URL: fx.redisUrl,
        REPLICA_PREFIX: fx.prefix(),
        REPLICA_MODE: "run",
        REPLICA_DURATION_MS: String(durationMs),
        REPLICA_PERIOD_MS: "100"
      }
      const reports = await Promise.all(Array.from({ length: 8 }, () => startReplica(env).report))
      const counts = short.counters().requests
      const acquisitions = counts["/v1/authenticate-token"] + counts["/v1/refresh-token"]
      // A token is refreshed 4…9 s into its 10-s life (margin 1 s, window 5 s): one process alone
      // refreshes at least 3 times in 30 s, so 8 unshared processes at least 24 times.
      console.log(
        `8 processes, ${lifetimeSeconds}-s tokens, ${durationMs / 1000} s: ${counts["/v1/authenticate-token"]} authentication(s), ${counts["/v1/refresh-token"]} refresh(es) at the sandbox (unshared: at least 24)`
      )
      expect(reports.map((r) => r.errorCount)).toEqual(Array(8).fill(0))
      expect(reports.map((r) => r.expired)).toEqual(Array(8).fill(0))
      expect(counts["/v1/authenticate-token"]).toBe(1)
      // Shared: about one refresh per boundary (30 s / 4…9 s: 3 to 8 refreshes), with room for a
      // loaded machine; unshared it would be at least 24.
      expect(acquisitions).toBeLessThanOrEqual(12)
    } finally {
      await short.stop()
    }
  }, 120_000)
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
