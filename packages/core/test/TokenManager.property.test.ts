/**
 * Properties of the token manager under random interleavings, on TestClock (no real time passes):
 *
 * 1. Whatever the order of clock jumps (time passing, the wall clock set back or forward), upstream
 *    failures (resets, 5xx, 429, slow answers, refusals, empty bodies, refused refreshes),
 *    invalidations and bursts of concurrent callers, no caller ever receives a token that is
 *    expired by the service's clock at the moment it receives it.
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

const commandArb = (lifetimeMs: number): fc.Arbitrary<Command> =>
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
        ms: fc.integer({ min: -Math.ceil(lifetimeMs * 2), max: Math.ceil(lifetimeMs / 2) })
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

const scenarioArb = fc
  .record({
    lifetimeSeconds: fc.constantFrom(5, 60, 1800, 86_400),
    skewMs: fc.integer({ min: -15 * 60_000, max: 15 * 60_000 }),
    dateHeader: fc.boolean(),
    keepFresh: fc.boolean(),
    jitter: fc.constantFrom(0, 0.5)
  })
  .chain((setup) =>
    fc.record({
      setup: fc.constant(setup),
      commands: fc.array(commandArb(setup.lifetimeSeconds * 1000), { minLength: 1, maxLength: 30 })
    })
  )

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

const runScenario = (scenario: Scenario) =>
  Effect.gen(function* () {
    const { setup, commands } = scenario
    const { server, manager } = yield* harness({
      lifetimeSeconds: setup.lifetimeSeconds,
      skewMs: setup.skewMs,
      dateHeader: setup.dateHeader,
      manager: { keepFresh: setup.keepFresh, refreshPolicy: { jitter: setup.jitter } }
    })
    const violations: Array<string> = []
    const fibers: Array<Fiber.Fiber<unknown, unknown>> = []
    let last: string | undefined
    const caller = (scope: Scope) =>
      manager.getToken({ scope }).pipe(
        Effect.tap((token) =>
          Effect.sync(() => {
            const value = Redacted.value(token)
            last = value
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
    return violations
  }).pipe(Effect.provide(TestClock.layer()), Effect.scoped)

describe("TokenManager properties", () => {
  it("never hands out an expired token, whatever the interleaving of clock jumps, failures and callers", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const violations = await Effect.runPromise(runScenario(scenario))
        expect(violations).toEqual([])
      }),
      { seed, numRuns: 120, endOnFailure: true }
    )
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
