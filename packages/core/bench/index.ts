/**
 * `pnpm bench`: the two benchmarks of the issue, printed (never asserted). Everything runs in this
 * one process against an in-process fake of iPOSpays (no network), so the figures and their ratios
 * come from the same run.
 *
 * 1. Cache-hit `getToken`, ns/op: the Promise facade and the Effect API against the yardstick,
 *    a hand-rolled synchronous memo (`if (cache && cache.exp > now) return cache.token`), and
 *    against that memo called the same way (awaited; inside Effect).
 * 2. 10 000 concurrent `getToken` on a cold manager (upstream calls), then across a refresh-ahead
 *    boundary (refresh calls, p99 latency during the refresh vs. cache hits).
 * 3. A multi-tenant service: 50 000 credential sets through one manager — slots held and heap used
 *    (after a forced GC) before and after idle eviction, with the default cap, and the CPU that
 *    20 000 idle tenants cost with `keepFresh`.
 */

import { cpus } from "node:os"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { AuthApi, makeAuthApi } from "../src/AuthApi.js"
import { type Credentials, makeCredentials } from "../src/Credentials.js"
import { createTokenManager } from "../src/createTokenManager.js"
import { makeTokenManager, type TokenManagerShape } from "../src/TokenManager.js"
import type { TokenStoreShape } from "../src/TokenStore.js"
import { FakeAuthServer } from "../test/support/FakeAuthServer.js"

const credentials = { apiKey: "bench-fake-api-key", secretKey: "bench-fake-secret" } as const
const baseUrl = "http://auth.bench.invalid"

const median = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const percentile = (xs: Float64Array | ReadonlyArray<number>, p: number) => {
  const sorted = Float64Array.from(xs).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(8)
const nowNs = () => process.hrtime.bigint()
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const ROUNDS = 9
const OPS = 500_000

/** Median ns/op over rounds of an async operation awaited in a loop. */
const measureAsync = async (op: () => Promise<unknown>) => {
  for (let i = 0; i < 100_000; i++) await op()
  const rounds: Array<number> = []
  for (let r = 0; r < ROUNDS; r++) {
    const start = nowNs()
    for (let i = 0; i < OPS; i++) await op()
    rounds.push(Number(nowNs() - start) / OPS)
  }
  return median(rounds)
}

/** Median ns/op over rounds of a synchronous operation. */
const measureSync = (op: () => unknown) => {
  let sink = 0
  for (let i = 0; i < 1_000_000; i++) sink += op() === undefined ? 0 : 1
  const rounds: Array<number> = []
  for (let r = 0; r < ROUNDS; r++) {
    const start = nowNs()
    for (let i = 0; i < OPS * 4; i++) sink += op() === undefined ? 0 : 1
    rounds.push(Number(nowNs() - start) / (OPS * 4))
  }
  if (sink < 0) console.log(sink)
  return median(rounds)
}

/** Median ns/op of an Effect yielded in an Effect.gen loop. */
const measureEffect = (op: Effect.Effect<unknown, unknown>) =>
  Effect.gen(function* () {
    for (let i = 0; i < 100_000; i++) yield* op
    const rounds: Array<number> = []
    for (let r = 0; r < ROUNDS; r++) {
      const start = nowNs()
      for (let i = 0; i < OPS; i++) yield* op
      rounds.push(Number(nowNs() - start) / OPS)
    }
    return median(rounds)
  })

/** Median ns/op of running an Effect with Effect.runSync per call. */
const measureRunSync = (op: Effect.Effect<unknown, unknown>) =>
  measureSync(() => Effect.runSync(op as Effect.Effect<unknown>))

const verdict = (ratio: number, goal: number) => (ratio <= goal ? `within ${goal}x: yes` : `within ${goal}x: NO`)

const benchCacheHit = async () => {
  console.log("\n## 1. Cache-hit getToken (ns/op, median of 9 rounds)\n")
  // The hand-rolled memo of the issue.
  let cache: { token: string; exp: number } | undefined = { token: "memo.token.value", exp: Date.now() + 3600_000 }
  const memo = () => {
    if (cache && cache.exp > Date.now()) return cache.token
    cache = undefined
    return undefined
  }
  const memoAsync = async () => memo()
  const memoEffect = Effect.sync(memo)

  const server = new FakeAuthServer({ lifetimeSeconds: 86_400 })
  const facade = createTokenManager({ ...credentials, baseUrl, fetch: server.fetch })
  await facade.getToken()

  const memoSyncNs = measureSync(memo)
  const memoAsyncNs = await measureAsync(memoAsync)
  const facadeNs = await measureAsync(() => facade.getToken())
  // With a shared token store (an in-process stand-in: `@ipos/auth-redis`'s bench measures Redis
  // itself): a cache hit never touches the store, so it costs what it costs without one.
  const sharedStore: TokenStoreShape = {
    shared: true,
    acquire: (_key, _adopt, run) => Effect.map(run, (token) => ({ token, from: "self", degraded: undefined })),
    invalidate: () => Effect.succeed(undefined)
  }
  const withStore = createTokenManager({ ...credentials, baseUrl, fetch: server.fetch, store: sharedStore })
  await withStore.getToken()
  const withStoreNs = await measureAsync(() => withStore.getToken())
  await withStore.close()

  const effectFigures = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const api = yield* makeAuthApi({ credentials, baseUrl, fetch: server.fetch })
        const manager = yield* makeTokenManager().pipe(Effect.provideService(AuthApi, api))
        yield* manager.getToken()
        const get = manager.getToken()
        // Per-request credentials (a multi-tenant service): one hot tenant, and 1 000 in turn.
        const tenants = tenantCredentials(1000)
        for (const credentials of tenants) yield* manager.getToken({ credentials })
        const hot = { credentials: tenants[0] as Credentials }
        let next = 0
        const roundRobin = Effect.suspend(() =>
          manager.getToken({ credentials: tenants[next++ % 1000] as Credentials })
        )
        return {
          memoInLoop: yield* measureEffect(memoEffect),
          managerInLoop: yield* measureEffect(get),
          memoRunSync: measureRunSync(memoEffect),
          managerRunSync: measureRunSync(get),
          tenantHot: yield* measureEffect(manager.getToken(hot)),
          tenantRoundRobin: yield* measureEffect(roundRobin)
        }
      })
    )
  )
  await facade.close()
  if (server.count() !== 1003) console.log(`(unexpected upstream calls: ${server.count()})`)

  const rows: Array<[string, number, string]> = [
    ["hand-rolled memo, sync call", memoSyncNs, ""],
    ["hand-rolled memo, async fn, awaited", memoAsyncNs, ""],
    [
      "Promise facade tokens.getToken(), awaited",
      facadeNs,
      `${fmt(facadeNs / memoSyncNs, 2)}x sync memo (the issue's goal)  ${verdict(facadeNs / memoSyncNs, 3)}; ` +
        `${fmt(facadeNs / memoAsyncNs, 2)}x memo awaited`
    ],
    [
      "the same with a shared token store",
      withStoreNs,
      `${fmt(withStoreNs / memoSyncNs, 2)}x sync memo  ${verdict(withStoreNs / memoSyncNs, 3)}; ${fmt(withStoreNs / facadeNs, 2)}x without a store`
    ],
    ["hand-rolled memo as Effect.sync, yield* in Effect.gen", effectFigures.memoInLoop, ""],
    [
      "manager.getToken(), yield* in Effect.gen",
      effectFigures.managerInLoop,
      `${fmt(effectFigures.managerInLoop / memoSyncNs, 2)}x sync memo (the issue's goal)  ${verdict(effectFigures.managerInLoop / memoSyncNs, 3)}; ` +
        `${fmt(effectFigures.managerInLoop / effectFigures.memoInLoop, 2)}x memo in the same loop`
    ],
    ["hand-rolled memo as Effect.sync, Effect.runSync per call", effectFigures.memoRunSync, ""],
    [
      "manager.getToken(), Effect.runSync per call",
      effectFigures.managerRunSync,
      `${fmt(effectFigures.managerRunSync / memoSyncNs, 2)}x sync memo (the issue's goal)  ${verdict(effectFigures.managerRunSync / memoSyncNs, 3)}; ` +
        `${fmt(effectFigures.managerRunSync / effectFigures.memoRunSync, 2)}x memo run the same way`
    ],
    [
      "manager.getToken({ credentials }), one tenant, yield*",
      effectFigures.tenantHot,
      `${fmt(effectFigures.tenantHot / effectFigures.managerInLoop, 2)}x getToken() (per-request credentials)`
    ],
    [
      "manager.getToken({ credentials }), 1 000 tenants in turn, yield*",
      effectFigures.tenantRoundRobin,
      `${fmt(effectFigures.tenantRoundRobin / effectFigures.managerInLoop, 2)}x getToken() (per-request credentials)`
    ]
  ]
  for (const [name, ns, note] of rows) console.log(`${name.padEnd(58)} ${fmt(ns)} ns/op  ${note}`)
}

/** Per-call latencies (µs) of `count` concurrent calls, from the burst's start to each resolution. */
const burst = async (count: number, call: () => Promise<string>) => {
  const latencies = new Float64Array(count)
  const start = nowNs()
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      call().then((token) => {
        latencies[i] = Number(nowNs() - start) / 1000
        return token
      })
    )
  )
  return { latencies, results }
}

/** Per-call latencies (µs) of sequential calls, in chunks that let I/O run in between. */
const sequential = async (until: () => boolean, call: () => Promise<string>, chunk = 500) => {
  const samples: Array<number> = []
  const tokens = new Set<string>()
  while (!until()) {
    for (let i = 0; i < chunk; i++) {
      const t0 = nowNs()
      tokens.add(await call())
      samples.push(Number(nowNs() - t0) / 1000)
    }
    await turn()
    if (samples.length > 5_000_000) break
  }
  return { samples, tokens }
}

const benchConcurrency = async () => {
  console.log("\n## 2. 10 000 concurrent getToken: cold manager, then across a refresh-ahead boundary\n")
  const N = 10_000

  // Cold, Promise facade: the upstream answers after 20 ms.
  {
    const server = new FakeAuthServer({ lifetimeSeconds: 3600, latencyMs: 20 })
    const tokens = createTokenManager({ ...credentials, baseUrl, fetch: server.fetch })
    const { latencies, results } = await burst(N, () => tokens.getToken())
    console.log(
      `cold, Promise facade: ${N} callers -> upstream calls = ${server.count()}, distinct tokens = ${new Set(results).size}, ` +
        `p50 ${fmt(percentile(latencies, 50) / 1000, 2)} ms, p99 ${fmt(percentile(latencies, 99) / 1000, 2)} ms (20 ms upstream)`
    )
    await tokens.close()
  }

  // Cold, Effect API: 10 000 fibers.
  {
    const server = new FakeAuthServer({ lifetimeSeconds: 3600, latencyMs: 20 })
    const distinct = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const api = yield* makeAuthApi({ credentials, baseUrl, fetch: server.fetch })
          const manager = yield* makeTokenManager().pipe(Effect.provideService(AuthApi, api))
          const all = yield* Effect.all(
            Array.from({ length: N }, () => manager.getToken()),
            { concurrency: "unbounded" }
          )
          return new Set(all.map(Redacted.value)).size
        })
      )
    )
    console.log(
      `cold, Effect API:     ${N} fibers  -> upstream calls = ${server.count()}, distinct tokens = ${distinct}`
    )
  }

  // Refresh-ahead boundary, crossed 5 times. A 4-second token with the default policy and no
  // jitter: usable for 2.6 s, refresh window from 0.6 s after it arrives; each refresh answers
  // after 50 ms. Per round: cache hits (a burst, then 50 ms of sequential calls), a burst of
  // callers at the boundary (the first starts the refresh), sequential calls until the refreshed
  // token is in. Figures are medians over the rounds.
  {
    const ROUNDS_AT_BOUNDARY = 5
    const server = new FakeAuthServer({ lifetimeSeconds: 4 })
    const tokens = createTokenManager({ ...credentials, baseUrl, fetch: server.fetch, refreshPolicy: { jitter: 0 } })
    const events: Array<string> = []
    tokens.onEvent((event) => events.push(event._tag))
    await tokens.getToken()
    await burst(N, () => tokens.getToken())
    const rows: Array<{
      refreshCalls: number
      servedCurrent: boolean
      hitBurst: Float64Array
      boundaryBurst: Float64Array
      hitSeq: ReadonlyArray<number>
      duringSeq: ReadonlyArray<number>
    }> = []
    for (let round = 0; round < ROUNDS_AT_BOUNDARY; round++) {
      const current = await tokens.getToken()
      const info = await tokens.getTokenInfo()
      const hitBurst = await burst(N, () => tokens.getToken())
      const hitStart = Date.now()
      const hitSeq = await sequential(
        () => Date.now() - hitStart >= 50,
        () => tokens.getToken()
      )
      const wait = info.refreshAt - Date.now() + 5
      if (wait > 0) await sleep(wait)
      server.enqueue("refresh", { kind: "wait", until: sleep(50), next: { kind: "token" } })
      const before = server.count("refresh")
      const refreshed = events.filter((e) => e === "Refreshed").length
      const boundaryBurst = await burst(N, () => tokens.getToken())
      const duringSeq = await sequential(
        () => events.filter((e) => e === "Refreshed").length > refreshed,
        () => tokens.getToken()
      )
      rows.push({
        refreshCalls: server.count("refresh") - before,
        servedCurrent: boundaryBurst.results.every((t) => t === current) && duringSeq.tokens.size <= 2,
        hitBurst: hitBurst.latencies,
        boundaryBurst: boundaryBurst.latencies,
        hitSeq: hitSeq.samples,
        duringSeq: duringSeq.samples
      })
    }
    const med = (f: (row: (typeof rows)[number]) => number) => median(rows.map(f))
    const hitBurstP99 = med((r) => percentile(r.hitBurst, 99))
    const boundaryBurstP99 = med((r) => percentile(r.boundaryBurst, 99))
    const hitSeqP99 = med((r) => percentile(r.hitSeq, 99))
    const duringSeqP99 = med((r) => percentile(r.duringSeq, 99))
    console.log(
      `boundary (${ROUNDS_AT_BOUNDARY} rounds): refresh calls per boundary = ${rows.map((r) => r.refreshCalls).join(", ")}; ` +
        `callers during each refresh got the current token at once: ${rows.every((r) => r.servedCurrent)}`
    )
    console.log(
      `  burst of ${N}:  cache-hit p50 ${fmt(med((r) => percentile(r.hitBurst, 50)))} µs  p99 ${fmt(hitBurstP99)} µs | ` +
        `at the boundary p50 ${fmt(med((r) => percentile(r.boundaryBurst, 50)))} µs  p99 ${fmt(boundaryBurstP99)} µs | ` +
        `ratio ${fmt(boundaryBurstP99 / hitBurstP99, 2)}x  ${verdict(boundaryBurstP99 / hitBurstP99, 2)}`
    )
    console.log(
      `  sequential:    cache-hit p50 ${fmt(
        med((r) => percentile(r.hitSeq, 50)),
        2
      )} µs  p99 ${fmt(hitSeqP99, 2)} µs | ` +
        `during refresh p50 ${fmt(
          med((r) => percentile(r.duringSeq, 50)),
          2
        )} µs  p99 ${fmt(duringSeqP99, 2)} µs ` +
        `(${rows.reduce((n, r) => n + r.duringSeq.length, 0)} calls) | ` +
        `ratio ${fmt(duringSeqP99 / hitSeqP99, 2)}x  ${verdict(duringSeqP99 / hitSeqP99, 2)}`
    )
    console.log(`  events: ${events.join(", ")}`)
    await tokens.close()
  }
}

/** Distinct fake credential sets, validated once (as a service would hold them). */
const tenantCredentials = (count: number, prefix = "bench-tenant"): ReadonlyArray<Credentials> =>
  Array.from({ length: count }, (_, i) =>
    Result.getOrThrow(makeCredentials({ apiKey: `${prefix}-api-key-${i}`, secretKey: `${prefix}-secret-${i}` }))
  )

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void
/**
 * Heap used after full collections, in MB. Collections are separated by turns of the event loop:
 * within one job V8 keeps every `WeakRef` target alive (undici's `Request` holds its signal
 * through one), so a heap read in the same job as the requests would count them all.
 */
const heapMb = Effect.promise(async () => {
  for (let i = 0; i < 5; i++) {
    gc()
    await sleep(10)
  }
  gc()
  return process.memoryUsage().heapUsed / 1024 / 1024
})

/** The live clock moved forward by `shiftMs` on demand: "15 minutes later" without waiting. */
const shiftedClock = () => {
  const live = Context.get(Context.empty(), Clock.Clock)
  let shiftMs = 0
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => live.currentTimeMillisUnsafe() + shiftMs,
    currentTimeMillis: Effect.sync(() => live.currentTimeMillisUnsafe() + shiftMs),
    currentTimeNanosUnsafe: () => live.currentTimeNanosUnsafe() + BigInt(shiftMs) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => live.currentTimeNanosUnsafe() + BigInt(shiftMs) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe() + BigInt(shiftMs) * 1_000_000n,
    monotonicTimeNanos: Effect.sync(() => live.monotonicTimeNanosUnsafe() + BigInt(shiftMs) * 1_000_000n),
    sleep: (duration) => live.sleep(duration)
  }
  return {
    clock,
    shift: (ms: number) => {
      shiftMs += ms
    }
  }
}

const benchTenants = async () => {
  console.log("\n## 3. A multi-tenant service: 50 000 credential sets through one manager\n")
  const TENANTS = 50_000
  const IDLE_TENANTS = 20_000
  const tenants = tenantCredentials(TENANTS)
  const fill = (manager: TokenManagerShape, list: ReadonlyArray<Credentials>) =>
    Effect.forEach(list, (credentials) => manager.getToken({ credentials }), { concurrency: 64, discard: true })
  const slotCount = (manager: TokenManagerShape) => Effect.map(manager.statuses, (all) => all.length)
  // The fake server records every request and token: forgotten before the heap is read, so the
  // figures are the manager's.
  const forget = (server: FakeAuthServer) => {
    server.requests.length = 0
    server.issued.length = 0
  }
  const row = (label: string, slots: number, heap: number, base: number) =>
    console.log(
      `${label.padEnd(64)} slots ${String(slots).padStart(6)}   heap +${fmt(heap - base)} MB` +
        (slots > 100 ? `  (${fmt(((heap - base) * 1024 * 1024) / (slots - 1), 0)} B per tenant slot)` : "")
    )

  // Every tenant held (a cap above 50 000), then the same manager 16 minutes later (idle time 15 min).
  {
    const server = new FakeAuthServer({ lifetimeSeconds: 3600 })
    const { clock, shift } = shiftedClock()
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const api = yield* makeAuthApi({ credentials, baseUrl, fetch: server.fetch })
          const manager = yield* makeTokenManager({ maxSlots: 100_000 }).pipe(Effect.provideService(AuthApi, api))
          yield* manager.getToken()
          const base = yield* heapMb
          const started = Date.now()
          yield* fill(manager, tenants)
          const filledIn = Date.now() - started
          const calls = server.count()
          forget(server)
          const held = yield* heapMb
          row(`${TENANTS} tenants, maxSlots 100 000 (all held)`, yield* slotCount(manager), held, base)
          // 16 minutes later one tenant calls again: the sweep on that call evicts the idle ones.
          shift(16 * 60_000)
          yield* manager.getToken({ credentials: tenants[0] as Credentials })
          const after = yield* heapMb
          row("the same, 16 min later, one tenant calls (idle ones evicted)", yield* slotCount(manager), after, base)
          console.log(`  (filled in ${filledIn} ms; upstream calls ${calls})`)
        }).pipe(Effect.provideService(Clock.Clock, clock))
      )
    )
  }

  // The default cap: 10 000 per-request slots, least recently used evicted first.
  {
    const server = new FakeAuthServer({ lifetimeSeconds: 3600 })
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const api = yield* makeAuthApi({ credentials, baseUrl, fetch: server.fetch })
          const manager = yield* makeTokenManager().pipe(Effect.provideService(AuthApi, api))
          yield* manager.getToken()
          const base = yield* heapMb
          yield* fill(manager, tenants)
          forget(server)
          const held = yield* heapMb
          row(`${TENANTS} tenants, default bounds (maxSlots 10 000)`, yield* slotCount(manager), held, base)
        })
      )
    )
  }

  // keepFresh with idle tenants: what they cost the CPU while nobody calls.
  {
    const server = new FakeAuthServer({ lifetimeSeconds: 3600 })
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const api = yield* makeAuthApi({ credentials, baseUrl, fetch: server.fetch })
          const manager = yield* makeTokenManager({ keepFresh: true, maxSlots: 100_000 }).pipe(
            Effect.provideService(AuthApi, api)
          )
          yield* manager.getToken()
          yield* fill(manager, tenants.slice(0, IDLE_TENANTS))
          const seconds = 5
          const before = process.cpuUsage()
          yield* Effect.promise(() => sleep(seconds * 1000))
          const used = process.cpuUsage(before)
          const share = (used.user + used.system) / 1000 / (seconds * 1000)
          console.log(
            `${IDLE_TENANTS} idle tenants with keepFresh: ${fmt(share * 100)} % of a core over ${seconds} s ` +
              `(slots ${yield* slotCount(manager)}, upstream calls ${server.count()})`
          )
        })
      )
    )
  }
}

const main = async () => {
  console.log(
    `# @ipos/auth-core benchmarks — node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} x${cpus().length}`
  )
  // BENCH_ONLY=cache-hit or BENCH_ONLY=tenants runs one section alone (to compare builds); the
  // figures of the README come from one run of all three.
  const only = process.env.BENCH_ONLY
  if (only === undefined || only === "cache-hit") await benchCacheHit()
  if (only === undefined) await benchConcurrency()
  if (only === undefined || only === "tenants") await benchTenants()
}

void main()
