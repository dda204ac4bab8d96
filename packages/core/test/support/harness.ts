/**
 * Builds an AuthApi + TokenManager over a FakeAuthServer inside the current test, on TestClock.
 * The service's clock is the monotonic test clock plus a skew: moving the local wall clock with
 * `TestClock.setTime` backwards does not move the service's clock, `TestClock.adjust` moves both.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { TestClock } from "effect/testing"
import { AuthApi, type AuthApiOptions, makeAuthApi } from "../../src/AuthApi.js"
import { makeTokenManager, type TokenManagerOptions } from "../../src/TokenManager.js"
import { FakeAuthServer } from "./FakeAuthServer.js"

/** 2025-06-10T05:20:46Z, the vendor sample's createdDt. */
export const EPOCH = 1_749_532_846_000

/** Obviously fake credentials. */
export const fakeCredentials = { apiKey: "test-api-key-0001", secretKey: "test-secret-key-0001" } as const

export interface HarnessOptions {
  readonly lifetimeSeconds?: number
  /** Service clock minus local clock, in ms. */
  readonly skewMs?: number
  readonly dateHeader?: boolean
  readonly api?: Partial<AuthApiOptions>
  readonly manager?: TokenManagerOptions
}

export const serverClock = Effect.map(
  Clock.Clock,
  (clock) => (skewMs: number) => () => Number(clock.monotonicTimeNanosUnsafe() / 1_000_000n) + skewMs
)

export const harness = (options: HarnessOptions = {}) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(EPOCH)
    const now = (yield* serverClock)(options.skewMs ?? 0)
    const server = new FakeAuthServer({
      now,
      lifetimeSeconds: options.lifetimeSeconds ?? 3600,
      ...(options.dateHeader === undefined ? {} : { dateHeader: options.dateHeader })
    })
    const api = yield* makeAuthApi({
      credentials: fakeCredentials,
      baseUrl: "http://auth.test.invalid",
      fetch: server.fetch,
      ...options.api
    })
    const manager = yield* makeTokenManager({ refreshPolicy: { jitter: 0 }, ...options.manager }).pipe(
      Effect.provideService(AuthApi, api)
    )
    return { server, api, manager, serverNow: now }
  })

export type Harness = Effect.Success<ReturnType<typeof harness>>
export type HarnessScope = Scope.Scope

/** Lets promise callbacks (the fake fetch) and forked fibers run, without moving the clock. */
export const settle = Effect.gen(function* () {
  for (let i = 0; i < 5; i++) {
    yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
    yield* Effect.yieldNow
  }
})

/** Moves the test clock forward in steps, letting everything run in between. */
export const advance = (ms: number, stepMs = 250) =>
  Effect.gen(function* () {
    let left = ms
    while (left > 0) {
      const step = Math.min(stepMs, left)
      yield* TestClock.adjust(step)
      yield* settle
      left -= step
    }
  })
