/**
 * Properties of the token manager under random interleavings, on TestClock (no real time passes):
 *
 * 1. Whatever the order of clock jumps (time passing, the wall clock set back or forward), upstream
 *    failures (resets, 5xx, 429, slow answers, refusals, empty bodies, refused refreshes),
 *    invalidations and bursts of concurrent callers, no caller ever receives a token that is
 *    expired by the service's clock at the moment it receives it — and callers do get tokens:
 *    every call succeeds when the upstream is scripted without faults, and once the faults are
 *    spent a fresh round of callers all succeed.
 * 1b. The same with stale tokens (an `iat` hours before the answer, as in the vendor's samples)
 *    and no `Date` header: the `iat` must not be taken for a lagging service clock.
 * 2. N concurrent callers on a cold manager cause exactly one upstream acquisition.
 *
 * The service's clock is the monotonic test clock plus a random skew, so setting the local wall
 * clock back does not turn the service's clock back.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { isAuthFailure } from "../src/Failure.js"
import type { Scope } from "../src/Schemas.js"
import { type Behaviour, gate } from "./support/FakeAuthServer.js"
import { harness } from "./support/harness.js"

// Fixed seeds keep CI deterministic; set FC_SEED to explore other interleavings locally.
const seed = process.env.FC_SEED === undefined ? 20_260_101 : Number(process.env.FC_SEED)

const quickSettle = Effect.gen(function* () {
  for (let i = 0; i < 3; i++) {
    yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
    yield* Effect.yieldNow
  }
})

type Fault = "reset" | "http503" | "rateLimited" | "hang" | "refused004" | "refresh007" | "empty200"

type Command =
  | { readonly op: "call"; readonly n: number; readonly scope: Scope }
  | { readonly op: "advance"; readonly ms: number }
  | { readonly op: "jumpWall"; readonly ms: number }
  | { readonly op: "fail"; readonly fault: Fault; readonly times: number }
  | { readonly op: "invalidate"; readonly withToken: boolean }

const faultBehaviour = (fault: Fault): { endpoint: "authenticate" | "refresh"; behaviour: Behaviour } => {
  switch (fault) {
    case "reset":
      return { endpoint: "authenticate", behaviour: { kind: "reset" } }
    case "http503":
      return { endpoint: "refresh", behaviour: { kind: "raw", status: 503, body: "<html>busy</html>" } }
    case "rateLimited":
      return { endpoint: "authenticate", behaviour: { kind: "rateLimited", retryAfter: "2" } }
    case "hang":
      return { endpoint: "refresh", behaviour: { kind: "hang" } }
    case "refused004":
      return {
        endpoint: "authenticate",
        behaviour: { kind: "authError", code: "AUTH_ERR_004", message: "Invalid Credentials" }
      }
    case "refresh007":
      return { endpoint: "refresh", behaviour: { kind: "authError", code: "AUTH_ERR_007", message: "Invalid Token" } }
    case "empty200":
      return { endpoint: "authenticate", behaviour: { kind: "raw", status: 200, body: "" } }
  }
}

const scopeArb = fc.constantFrom<Scope>("PaymentTokenization", "Recurring")

const commandArb = (lifetimeMs: number, wallBack = true): fc.Arbitrary<Command> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant("call" as const), n: fc.integer({ min: 1, max: 12 }), scope: scopeArb })
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("advance" as const),
        ms: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: Math.ceil(lifetimeMs * 1.2) }))
      })
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("jumpWall" as const),
        ms: fc.integer({ min: wallBack ? -Math.ceil(lifetimeMs * 2) : 0, max: Math.ceil(lifetimeMs / 2) })
      })
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("fail" as const),
        fault: fc.constantFrom<Fault>(
          "reset",
          "http503",
          "rateLimited",
          "hang",
          "refused004",
          "refresh007",
          "empty200"
        ),
        times: fc.integer({ min: 1, max: 5 })
      })
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("invalidate" as const), withToken: fc.boolean() }) }
  )

interface Setup {
  readonly lifetimeSeconds: number
  readonly skewMs: number
  readonly dateHeader: boolean
  readonly keepFresh: boolean
  readonly jitter: number
  /** How long before the answer each token was minted, as a share of its lifetime. */
  readonly staleShare: number
}

interface Scenario {
  readonly setup: Setup
  readonly commands: ReadonlyArray<Command>
}

const lifetimeArb = fc.constantFrom(5, 60, 1800, 86_400)
const common = { keepFresh: fc.boolean(), jitter: fc.constantFrom(0, 0.5) }

// Any clocks; stale tokens only with a Date header (without one, see below).
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    lifetimeSeconds: lifetimeArb,
    skewMs: fc.integer({ min: -15 * 60_000, max: 15 * 60_000 }),
    dateHeader: fc.boolean(),
    staleShare: fc.constantFrom(0, 0, 0.25, 0.5),
    ...common
  })
  .map((setup) => (setup.dateHeader ? setup : { ...setup, staleShare: 0 }))
  .chain((setup) =>
    fc.record({
      setup: fc.constant(setup),
      commands: fc.array(commandArb(setup.lifetimeSeconds * 1000), { minLength: 1, maxLength: 30 })
    })
  )

// Stale tokens without a Date header. A service clock AHEAD of ours is then invisible (a stale
// `iat` looks like a lagging service, and nothing else tells the time): the guarantee is that the
// expiry is never later than `exp` read on the local clock, so the local clock is never behind
// the service's here (skew ≤ 0, the wall clock only jumps forward).
const staleScenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    lifetimeSeconds: lifetimeArb,
    skewMs: fc.integer({ min: -15 * 60_000, max: 0 }),
    dateHeader: fc.constant(false),
    staleShare: fc.constantFrom(0.25, 0.5),
    ...common
  })
  .chain((setup) =>
    fc.record({
      setup: fc.constant(setup),
      commands: fc.array(commandArb(setup.lifetimeSeconds * 1000, false), { minLength: 1, maxLength: 30 })
    })
  )

interface Outcome {
  readonly violations: ReadonlyArray<string>
  /** Calls made by the commands, and how many of them got a token. */
  readonly calls: number
  readonly successes: number
  /** Whether a fault was ever scripted. */
  readonly faults: boolean
  /** The final round (faults spent): callers, successes, and whether success was certain. */
  readonly finalCalls: number
  readonly finalSuccesses: number
  readonly finalMustSucceed: boolean
}

/** The safety margin of the refresh policy for a lifetime (see `RefreshWindow`). */
const marginFor = (lifetimeMs: number) => Math.min(Math.max(1000, 0.02 * lifetimeMs), 0.1 * lifetimeMs, 30_000)

const runScenario = (scenario: Scenario) =>
  Effect.gen(function* () {
    const { setup, commands } = scenario
    const { server, manager, serverNow } = yield* harness({
      lifetimeSeconds: setup.lifetimeSeconds,
      skewMs: setup.skewMs,
      dateHeader: setup.dateHeader,
      manager: { keepFresh: setup.keepFresh, refreshPolicy: { jitter: setup.jitter } }
    })
    const staleSeconds = Math.floor(setup.lifetimeSeconds * setup.staleShare)
    if (staleSeconds > 0) {
      const stale = { kind: "token", iatOffsetSeconds: -staleSeconds } as const
      server.otherwise("authenticate", stale).otherwise("refresh", stale)
    }
    const violations: Array<string> = []
    const fibers: Array<Fiber.Fiber<unknown, unknown>> = []
    let last: string | undefined
    let successes = 0
    const caller = (scope: Scope) =>
      manager.getToken({ scope }).pipe(
        Effect.tap((token) =>
          Effect.sync(() => {
            const value = Redacted.value(token)
            last = value
            successes++
            if (server.isExpired(value)) violations.push(`expired token handed out (${scope})`)
          })
        ),
        Effect.catch((error) =>
          Effect.sync(() => {
            if (!isAuthFailure(error)) violations.push(`untyped failure: ${String(error)}`)
          })
        )
      )
    for (const command of commands) {
      switch (command.op) {
        case "call":
          for (let i = 0; i < command.n; i++) fibers.push(yield* Effect.forkChild(caller(command.scope)))
          break
        case "advance":
          yield* TestClock.adjust(command.ms)
          break
        case "jumpWall":
          yield* TestClock.setTime(Math.max(0, (yield* Clock.currentTimeMillis) + command.ms))
          break
        case "fail": {
          const { endpoint, behaviour } = faultBehaviour(command.fault)
          for (let i = 0; i < command.times; i++) server.enqueue(endpoint, behaviour)
          break
        }
        case "invalidate":
          yield* manager.invalidate(command.withToken && last !== undefined ? { token: last } : {})
          break
      }
      yield* quickSettle
    }
    // Let every retry, timeout and pending caller finish. TestClock keys sleeps by wall-clock time,
    // so after the wall clock was set back pending timers need the wall clock to catch up first.
    const pending = () => fibers.some((fiber) => fiber.pollUnsafe() === undefined)
    for (let i = 0; i < 130 && pending(); i++) {
      yield* TestClock.adjust(1000)
      yield* quickSettle
    }
    for (let i = 0; i < 2000 && pending(); i++) {
      yield* TestClock.adjust(5 * 60_000)
      yield* quickSettle
    }
    for (const fiber of fibers) {
      const exit = yield* Fiber.await(fiber)
      if (exit._tag !== "Success") violations.push(`caller did not finish cleanly: ${String(exit)}`)
    }
    const calls = fibers.length
    const successesDuringCommands = successes
    // The faults are spent (or dropped): a new round of callers on both scopes. They must all get
    // a token whenever a token can be usable on arrival: always with a Date header; without one
    // when the local clock's lead on the service's leaves the token more than its margin.
    server.clear()
    const lifetimeMs = setup.lifetimeSeconds * 1000
    const leadMs = (yield* Clock.currentTimeMillis) - serverNow()
    const finalMustSucceed =
      setup.dateHeader || leadMs < lifetimeMs - staleSeconds * 1000 - marginFor(lifetimeMs) - 2000
    const finalCallers: Array<Fiber.Fiber<unknown, unknown>> = []
    for (const scope of ["PaymentTokenization", "Recurring"] as const) {
      for (let i = 0; i < 3; i++) finalCallers.push(yield* Effect.forkChild(caller(scope)))
    }
    for (let i = 0; i < 30 && finalCallers.some((fiber) => fiber.pollUnsafe() === undefined); i++) {
      yield* TestClock.adjust(1000)
      yield* quickSettle
    }
    for (const fiber of finalCallers) yield* Fiber.await(fiber)
    const outcome: Outcome = {
      violations,
      calls,
      successes: successesDuringCommands,
      faults: commands.some((command) => command.op === "fail"),
      finalCalls: finalCallers.length,
      finalSuccesses: successes - successesDuringCommands,
      finalMustSucceed
    }
    return outcome
  }).pipe(Effect.provide(TestClock.layer()), Effect.scoped)

/** Checks one outcome; returns whether the final round was certain to succeed. */
const check = (outcome: Outcome, setup: Setup): boolean => {
  expect(outcome.violations).toEqual([])
  // Without faults (and with a Date header, so that no clock question remains) every call succeeds.
  if (!outcome.faults && setup.dateHeader) expect(outcome.successes).toBe(outcome.calls)
  if (outcome.finalMustSucceed) expect(outcome.finalSuccesses).toBe(outcome.finalCalls)
  return outcome.finalMustSucceed
}

describe("TokenManager properties", () => {
  it("never hands out an expired token, whatever the interleaving of clock jumps, failures and callers", async () => {
    let certain = 0
    let faultless = 0
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const outcome = await Effect.runPromise(runScenario(scenario))
        if (check(outcome, scenario.setup)) certain++
        if (!outcome.faults && scenario.setup.dateHeader && outcome.calls > 0) faultless++
      }),
      { seed, numRuns: 120, endOnFailure: true }
    )
    // The success checks were not vacuous.
    expect(certain).toBeGreaterThanOrEqual(60)
    expect(faultless).toBeGreaterThanOrEqual(5)
  }, 120_000)

  it("never hands out a token past its exp when tokens are stale (old iat) and no Date header comes", async () => {
    let certain = 0
    await fc.assert(
      fc.asyncProperty(staleScenarioArb, async (scenario) => {
        const outcome = await Effect.runPromise(runScenario(scenario))
        if (check(outcome, scenario.setup)) certain++
      }),
      { seed, numRuns: 80, endOnFailure: true }
    )
    expect(certain).toBeGreaterThanOrEqual(20)
  }, 120_000)

  it("makes exactly one upstream acquisition for N concurrent callers on a cold manager", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2000 }),
        scopeArb,
        fc.constantFrom(5, 1800, 86_400),
        fc.integer({ min: -600_000, max: 600_000 }),
        (n, scope, lifetimeSeconds, skewMs) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const { server, manager } = yield* harness({ lifetimeSeconds, skewMs })
              const slow = gate()
              server.enqueue("authenticate", { kind: "wait", until: slow.until, next: { kind: "token" } })
              const fibers = yield* Effect.forEach(Array.from({ length: n }), () =>
                Effect.forkChild(manager.getToken({ scope }))
              )
              yield* quickSettle
              slow.open()
              const tokens = yield* Effect.forEach(fibers, Fiber.join)
              expect(server.count()).toBe(1)
              expect(new Set(tokens.map(Redacted.value)).size).toBe(1)
            }).pipe(Effect.provide(TestClock.layer()), Effect.scoped)
          )
      ),
      { seed, numRuns: 60 }
    )
  }, 120_000)
})
