/**
 * The token manager's slots of per-request credentials (a multi-tenant service): evicted when idle
 * (`slotIdleMs`) or beyond a cap (`maxSlots`, least recently used first), refreshed ahead with
 * `keepFresh` only while used recently, evicted on request (`evict`) — while the manager's own
 * credentials are never evicted by idleness and stay fresh without traffic. On TestClock.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { type Credentials, credentialsId, makeCredentials } from "../src/Credentials.js"
import type { TokenEvent } from "../src/TokenEvents.js"
import type { TokenManagerShape } from "../src/TokenManager.js"
import { advance, EPOCH, harness, settle } from "./support/harness.js"

type Step = { readonly op: "use"; readonly tenant: number } | { readonly op: "wait"; readonly ms: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("use" as const), tenant: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 90_000 }) }) }
)

/**
 * The rule, as a model: after each per-request use, the used tenant is the most recently used;
 * then, least recently used first, tenants beyond `max` and tenants unused for `idleMs` go.
 */
const model = (steps: ReadonlyArray<Step>, max: number, idleMs: number): ReadonlyArray<number> => {
  let now = 0
  let held: Array<{ tenant: number; lastUsed: number }> = []
  const sweep = () => {
    while (held.length > max) held.shift()
    held = held.filter((entry) => now - entry.lastUsed < idleMs)
  }
  for (const step of steps) {
    if (step.op === "wait") now += step.ms
    else {
      held = [...held.filter((entry) => entry.tenant !== step.tenant), { tenant: step.tenant, lastUsed: now }]
      sweep()
    }
  }
  sweep()
  return held.map((entry) => entry.tenant)
}

const minute = 60_000

const tenant = (n: number): Credentials =>
  Result.getOrThrow(makeCredentials({ apiKey: `tenant-api-key-${n}`, secretKey: `tenant-secret-${n}` }))

const idOf = (n: number) => credentialsId(tenant(n))

const recorder = (manager: TokenManagerShape) => {
  const events: Array<TokenEvent> = []
  return {
    events,
    of: (id: string, tag?: TokenEvent["_tag"]) =>
      events.filter((e) => e.credentialsId === id && (tag === undefined || e._tag === tag)),
    start: Effect.gen(function* () {
      yield* Effect.forkChild(Stream.runForEach(manager.events, (e) => Effect.sync(() => events.push(e))))
      yield* settle
    })
  }
}

/** The credentials ids of the per-request slots held, least recently used first. */
const tenantsHeld = (manager: TokenManagerShape, own: string) =>
  Effect.map(manager.statuses, (all) => all.filter((s) => s.credentialsId !== own).map((s) => s.credentialsId))

describe("TokenManager: per-request credential slots", () => {
  it.effect("evicts a credential set unused for slotIdleMs; one used within it is kept with its token", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ manager: { slotIdleMs: minute } })
      const events = recorder(manager)
      yield* events.start
      const own = (yield* manager.getManagedToken()).credentialsId
      const a = Redacted.value(yield* manager.getToken({ credentials: tenant(1) }))
      yield* manager.getToken({ credentials: tenant(2) })
      // Tenant 1 keeps being used every 50 s; tenant 2 is not used again.
      for (let i = 0; i < 3; i++) {
        yield* TestClock.adjust(50_000)
        expect(Redacted.value(yield* manager.getToken({ credentials: tenant(1) }))).toBe(a)
      }
      expect(yield* tenantsHeld(manager, own)).toEqual([idOf(1)])
      expect(events.of(idOf(2), "Evicted")).toMatchObject([{ reason: "idle", scope: "PaymentTokenization" }])
      expect(events.of(idOf(1), "Evicted")).toEqual([])
      // The evicted one acquires a new token on its next use.
      yield* manager.getToken({ credentials: tenant(2) })
      expect(server.requests.map((r) => r.headers.apikey)).toEqual([
        "test-api-key-0001",
        "tenant-api-key-1",
        "tenant-api-key-2",
        "tenant-api-key-2"
      ])
    })
  )

  it.effect("holds at most maxSlots credential sets: the least recently used is evicted first", () =>
    Effect.gen(function* () {
      const { manager } = yield* harness({ manager: { maxSlots: 2 } })
      const events = recorder(manager)
      yield* events.start
      const own = (yield* manager.getManagedToken()).credentialsId
      yield* manager.getToken({ credentials: tenant(1) })
      yield* manager.getToken({ credentials: tenant(2) })
      yield* manager.getToken({ credentials: tenant(1) })
      yield* manager.getToken({ credentials: tenant(3) })
      expect(yield* tenantsHeld(manager, own)).toEqual([idOf(1), idOf(3)])
      expect(events.of(idOf(2), "Evicted")).toMatchObject([{ reason: "capacity" }])
      // The manager's own credentials do not count and are never evicted.
      const statuses = yield* manager.statuses
      expect(statuses.filter((s) => s.credentialsId === own)).toMatchObject([{ state: "valid" }])
    })
  )

  it.effect(
    "with keepFresh, refreshes the manager's own token for hours without traffic, and idle tenants not at all",
    () =>
      Effect.gen(function* () {
        // The proxy's case: one configured credential set, no traffic for hours, requests must never
        // wait. And a tenant used once: evicted after slotIdleMs, never refreshed.
        const { server, manager } = yield* harness({ manager: { keepFresh: true, slotIdleMs: 15 * minute } })
        const events = recorder(manager)
        yield* events.start
        const own = (yield* manager.getManagedToken()).credentialsId
        yield* manager.getToken({ credentials: tenant(1) })
        yield* advance(3 * 60 * minute, 10_000)
        // 1-hour tokens, refreshed ahead about every 50 minutes: three times in three hours.
        expect(events.of(own, "Refreshed")).toHaveLength(3)
        expect(events.of(own, "Expired")).toEqual([])
        expect(events.of(own, "Evicted")).toEqual([])
        expect((yield* manager.status()).state).toBe("valid")
        expect(events.of(idOf(1)).map((e) => e._tag)).toEqual(["Minted", "Evicted"])
        expect(events.of(idOf(1), "Evicted")).toMatchObject([{ reason: "idle", at: EPOCH + 15 * minute }])
        expect(server.count("authenticate")).toBe(2)
        expect(server.count("refresh")).toBe(3)
        // The next request of the manager's own scope is a cache hit: it did not wait for iPOSpays.
        const before = server.count()
        yield* manager.getToken()
        expect(server.count()).toBe(before)
      })
  )

  it.effect("with keepFresh, keeps refreshing ahead a tenant that is used", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ manager: { keepFresh: true, slotIdleMs: 15 * minute } })
      const events = recorder(manager)
      yield* events.start
      for (let i = 0; i < 24; i++) {
        yield* manager.getToken({ credentials: tenant(1) })
        yield* advance(5 * minute, 10_000)
      }
      expect(events.of(idOf(1), "Minted")).toHaveLength(1)
      expect(events.of(idOf(1), "Refreshed")).toHaveLength(2)
      expect(events.of(idOf(1), "Expired")).toEqual([])
      expect(events.of(idOf(1), "Evicted")).toEqual([])
      expect(server.count("authenticate")).toBe(1)
    })
  )

  it.effect("evicts on request: token, timer and gauges dropped; the next use acquires a new token", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ manager: { keepFresh: true } })
      const events = recorder(manager)
      yield* events.start
      const own = (yield* manager.getManagedToken()).credentialsId
      const first = Redacted.value(yield* manager.getToken({ scope: "Recurring", credentials: tenant(5) }))
      yield* manager.status({ scope: "Recurring", credentials: tenant(5) })
      const series = Effect.map(Metric.snapshot, (all) =>
        // Tenant 5 is used by this test only: its series are this test's.
        all.filter((m) => m.attributes?.credentials === idOf(5)).map((m) => m.id)
      )
      expect((yield* series).sort()).toEqual([
        "ipos_auth_degraded",
        "ipos_auth_token_expires_at_seconds",
        "ipos_auth_token_seconds_to_expiry"
      ])
      expect(yield* manager.evict({ scope: "Recurring", credentials: tenant(5) })).toBe(true)
      expect(yield* manager.evict({ scope: "Recurring", credentials: tenant(5) })).toBe(false)
      expect(yield* series).toEqual([])
      expect(events.of(idOf(5), "Evicted")).toMatchObject([{ reason: "explicit", scope: "Recurring" }])
      expect(yield* manager.status({ scope: "Recurring", credentials: tenant(5) })).toMatchObject({
        state: "empty",
        fingerprint: undefined
      })
      expect(yield* tenantsHeld(manager, own)).toEqual([])
      // Nothing is refreshed for it any more: its timer is gone.
      yield* advance(2 * 60 * minute, 10_000)
      expect(events.of(idOf(5)).map((e) => e._tag)).toEqual(["Minted", "Evicted"])
      const second = Redacted.value(yield* manager.getToken({ scope: "Recurring", credentials: tenant(5) }))
      expect(second).not.toBe(first)
      expect(server.requests.filter((r) => r.headers.apikey === "tenant-api-key-5")).toHaveLength(2)
      // The manager's default scope: its token is dropped until its next use, which acquires anew.
      expect(yield* manager.evict()).toBe(true)
      expect((yield* manager.status()).state).toBe("empty")
      yield* manager.getToken()
      expect((yield* manager.status()).state).toBe("valid")
    })
  )

  it("holds exactly the tenants the LRU-and-idle rule keeps, never more than maxSlots", async () => {
    const max = 3
    const idleMs = 60_000
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), (steps) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const { manager } = yield* harness({ manager: { maxSlots: max, slotIdleMs: idleMs } })
            const own = (yield* manager.getManagedToken()).credentialsId
            let most = 0
            for (const step of steps) {
              if (step.op === "wait") yield* TestClock.adjust(step.ms)
              else {
                yield* manager.getToken({ credentials: tenant(step.tenant + 100) })
                most = Math.max(most, (yield* manager.statuses).length - 1)
              }
            }
            expect(most).toBeLessThanOrEqual(max)
            expect(yield* tenantsHeld(manager, own)).toEqual(model(steps, max, idleMs).map((n) => idOf(n + 100)))
          }).pipe(Effect.provide(TestClock.layer()), Effect.scoped)
        )
      ),
      { numRuns: 150 }
    )
  }, 120_000)

  it.effect("looking at a credential set (status, invalidate, evict) creates no slot", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const own = (yield* manager.getManagedToken()).credentialsId
      expect(yield* manager.status({ credentials: tenant(7) })).toMatchObject({
        state: "empty",
        credentialsId: idOf(7)
      })
      yield* manager.invalidate({ credentials: tenant(7) })
      expect(yield* manager.evict({ credentials: tenant(7) })).toBe(false)
      expect(yield* tenantsHeld(manager, own)).toEqual([])
      expect(server.count()).toBe(1)
    })
  )
})
