/**
 * `pnpm bench` for the Redis store, printed (never asserted). It lives here rather than in the core's
 * bench because the core must not depend on this package (arrows point core → redis).
 *
 * 1. Cache-hit `getToken`, ns/op: without a store, with the Redis store, and a hand-rolled memo.
 * 2. Cold start of 8 processes × 1,000 callers: upstream calls at the sandbox.
 * 3. Time for a waiting process to receive the holder's token (from the holder's write to the
 *    waiter's return), p50/p99.
 */
import { createTokenManager, type SharedToken } from "@ipos/auth-core"
import { startSandbox } from "@ipos/auth-sandbox"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { redisTokenStore } from "../src/index.js"
import { clearPrefix, testPrefix, testRedis } from "../test/support/redis.js"
import { startReplica } from "../test/support/replicas.js"

const ROUNDS = 7
const OPS = 300_000
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const percentile = (xs: ReadonlyArray<number>, p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

const measureAsync = async (op: () => Promise<unknown>) => {
  for (let i = 0; i < 50_000; i++) await op()
  const rounds: Array<number> = []
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < OPS; i++) await op()
    rounds.push(Number(process.hrtime.bigint() - start) / OPS)
  }
  return median(rounds)
}

const main = async () => {
  const redis = await testRedis()
  const sandbox = await startSandbox()
  const prefixes: Array<string> = []
  const prefix = () => {
    const p = testPrefix()
    prefixes.push(p)
    return p
  }
  const base = {
    apiKey: "demo-merchant-api-key",
    secretKey: "demo-merchant-secret-key",
    baseUrl: sandbox.url
  }
  try {
    // 1. Cache hits.
    const plain = createTokenManager(base)
    const shared = createTokenManager({ ...base, store: redisTokenStore({ url: redis.url, keyPrefix: prefix() }) })
    await sleep(300)
    await plain.getToken()
    await shared.getToken()
    let memo: { token: string; exp: number } | undefined
    const memoGet = async () => {
      if (memo !== undefined && memo.exp > Date.now()) return memo.token
      memo = { token: "t", exp: Date.now() + 3_600_000 }
      return memo.token
    }
    const nsMemo = await measureAsync(memoGet)
    const nsPlain = await measureAsync(() => plain.getToken())
    const nsShared = await measureAsync(() => shared.getToken())
    console.log("cache-hit getToken (awaited), ns/op, median of rounds:")
    console.log(`  hand-rolled memo        ${nsMemo.toFixed(1)}`)
    console.log(`  no store                ${nsPlain.toFixed(1)}  (${(nsPlain / nsMemo).toFixed(2)}× the memo)`)
    console.log(`  Redis store             ${nsShared.toFixed(1)}  (${(nsShared / nsMemo).toFixed(2)}× the memo)`)
    await plain.close()
    await shared.close()

    // 2. Cold start of 8 processes.
    sandbox.reset()
    const env = { REPLICA_SANDBOX_URL: sandbox.url, REPLICA_REDIS_URL: redis.url, REPLICA_PREFIX: prefix() }
    const reports = await Promise.all(
      Array.from({ length: 8 }, () => startReplica({ ...env, REPLICA_CALLERS: "1000" }).report)
    )
    const counts = sandbox.counters().requests
    console.log(
      `cold start, 8 processes × 1,000 callers: ${counts["/v1/authenticate-token"]} authentication(s), ${counts["/v1/refresh-token"]} refresh(es) upstream; ${reports.reduce((n, r) => n + r.errorCount, 0)} caller errors; slowest process ${Math.max(...reports.map((r) => r.ms)).toFixed(0)} ms`
    )

    // 3. Holder → waiter hand-over.
    const scope = Effect.runSync(Scope.make())
    const p = prefix()
    const holder = redisTokenStore({ url: redis.url, keyPrefix: p })
    const waiter = redisTokenStore({ url: redis.url, keyPrefix: p })
    for (const s of [holder, waiter]) if (s.start !== undefined) Effect.runSync(Scope.provide(s.start, scope))
    await sleep(500)
    const latencies: Array<number> = []
    for (let i = 0; i < 200; i++) {
      const key = `handover-${i}`
      let wroteAt = 0
      const token: SharedToken = {
        token: `h.${i}.s`,
        fingerprint: `…${i}`,
        via: "authenticate",
        createdDt: String(Date.now()),
        issuedAt: undefined,
        expiresAt: Date.now() + 60_000,
        localIssuedAt: undefined,
        localExpiresAt: Date.now() + 60_000,
        clockOffsetMs: 0
      }
      const run = Effect.promise(async () => {
        await sleep(30)
        wroteAt = performance.now()
        return token
      })
      const held = Effect.runPromise(holder.acquire(key, () => true, run))
      await sleep(5)
      await Effect.runPromise(waiter.acquire(key, () => true, Effect.die("the waiter must not acquire")))
      latencies.push(performance.now() - wroteAt)
      await held
    }
    await Effect.runPromise(Scope.close(scope, Exit.void))
    console.log(
      `waiter receives the holder's token (write → return, 200 hand-overs): p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`
    )
  } finally {
    await sandbox.stop()
    for (const p of prefixes) await clearPrefix(redis.url, p)
    await redis.stop()
  }
}

void main()
