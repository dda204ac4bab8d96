import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import { AuthApi } from "../src/AuthApi.js"
import { makeCredentials } from "../src/Credentials.js"
import { ManagerClosed } from "../src/ManagerClosed.js"
import * as Metrics from "../src/Metrics.js"
import type { TokenEvent } from "../src/TokenEvents.js"
import { TokenManager, type TokenManagerOptions, type TokenManagerShape } from "../src/TokenManager.js"
import { FakeAuthServer, gate, makeJwt } from "./support/FakeAuthServer.js"
import { advance, EPOCH, fakeCredentials, harness, settle } from "./support/harness.js"

// A 1-hour token with the default policy and no jitter: the Date header makes the learned offset
// +1 s (second resolution), so locally it expires at +3599 s; margin 30 s (usable until +3569 s);
// window 9 min (refresh from +3029 s).
const EXPIRES = 3_599_000
const USABLE_UNTIL = 3_569_000
const REFRESH_AT = 3_029_000

const minute = 60_000

const collect = (manager: TokenManagerShape) => {
  const events: Array<TokenEvent> = []
  return {
    events,
    tags: () => events.map((e) => e._tag),
    start: Effect.gen(function* () {
      yield* Effect.forkChild(Stream.runForEach(manager.events, (e) => Effect.sync(() => events.push(e))))
      yield* settle
    })
  }
}

const concurrently = (n: number, effect: Effect.Effect<Redacted.Redacted<string>, unknown>) =>
  Effect.all(
    Array.from({ length: n }, () => effect),
    { concurrency: "unbounded" }
  ).pipe(Effect.map((tokens) => tokens.map(Redacted.value)))

describe("TokenManager", () => {
  it.effect("hands out one token to many concurrent callers of a cold manager: one upstream call", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const tokens = yield* concurrently(1000, manager.getToken())
      expect(server.count()).toBe(1)
      expect(new Set(tokens).size).toBe(1)
      yield* manager.getToken()
      expect(server.count()).toBe(1)
    })
  )

  it.effect("hands out the token as Redacted", () =>
    Effect.gen(function* () {
      const { manager } = yield* harness()
      const token = yield* manager.getToken()
      expect(String(token)).toBe("<redacted>")
      expect(JSON.stringify({ token })).toBe('{"token":"<redacted>"}')
      expect(Redacted.value(token).split(".")).toHaveLength(3)
    })
  )

  it.effect("takes expiry from exp, corrected by the learned offset", () =>
    Effect.gen(function* () {
      const { manager } = yield* harness()
      const info = yield* manager.getManagedToken()
      expect(info.localExpiresAt - EPOCH).toBe(EXPIRES)
      expect(info.usableUntil - EPOCH).toBe(USABLE_UNTIL)
      expect(info.refreshAt - EPOCH).toBe(REFRESH_AT)
      expect(info.lifetimeMs).toBe(3_600_000)
      expect(info.via).toBe("authenticate")
      const status = yield* manager.status()
      expect(status).toMatchObject({ state: "valid", degraded: false, consecutiveFailures: 0, secondsToExpiry: 3599 })
    })
  )

  it.effect("does not cache a token with an absurd exp (milliseconds) beyond 24 h + 1 min after issue", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const absurd = makeJwt({ scope: "paymentTokenize", iat: EPOCH / 1000, exp: EPOCH + 86_400_000 })
      server.enqueue("authenticate", {
        kind: "raw",
        status: 200,
        body: JSON.stringify({
          responseCode: "00",
          responseMessage: "Success",
          createdDt: String(EPOCH),
          token: absurd
        })
      })
      const info = yield* manager.getManagedToken()
      expect(Redacted.value(info.token)).toBe(absurd)
      expect(info.expiresAt).toBe((EPOCH + 86_400_000) * 1000)
      // iat on the local clock is EPOCH − 1 s (offset +1 s): + 24 h + 1 min; margin 30 s, window 15 min.
      expect(info.localExpiresAt - EPOCH).toBe(86_459_000)
      expect(info.lifetimeMs).toBe(86_460_000)
      expect(info.usableUntil - EPOCH).toBe(86_429_000)
      expect(info.refreshAt - EPOCH).toBe(85_529_000)
      yield* TestClock.adjust(86_429_000)
      const next = yield* manager.getToken()
      expect(Redacted.value(next)).not.toBe(absurd)
      expect(server.count("authenticate")).toBe(2)
    })
  )

  it.effect("does not refresh in a loop when tokens arrive already inside their refresh window", () =>
    Effect.gen(function* () {
      // 5 s tokens minted 3 s before they are sent (a stale iat): 2 s left, less than the lead
      // (margin 0.5 s + window 2.5 s), so each one is due for a refresh the moment it arrives.
      const { server, manager } = yield* harness({ lifetimeSeconds: 5, manager: { keepFresh: true } })
      server.otherwise("authenticate", { kind: "token", iatOffsetSeconds: -3 })
      server.otherwise("refresh", { kind: "token", iatOffsetSeconds: -3 })
      yield* manager.getToken()
      yield* settle
      yield* manager.getToken()
      yield* settle
      // No time has passed: the first token and the one re-acquisition allowed at once (an
      // authentication, the token being near expiry), whatever keepFresh and the callers do.
      expect(server.requests.map((r) => `${r.endpoint}@${r.at - EPOCH}`)).toEqual(["authenticate@0", "authenticate@0"])
      // Then one new token per backoff step: a quarter of the 0.5 s each token has left, 125 ms
      // (+1 ms as the timer rounds up); near expiry the manager authenticates rather than refresh.
      yield* advance(1000, 125)
      expect(server.requests.map((r) => `${r.endpoint}@${r.at - EPOCH}`).slice(2)).toEqual(
        [125, 251, 376, 501, 627, 752, 877].map((at) => `authenticate@${at}`)
      )
    })
  )

  it.effect("serves the current token at once inside the window while ONE background refresh runs", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const recorder = collect(manager)
      yield* recorder.start
      const first = Redacted.value(yield* manager.getToken())
      yield* advance(REFRESH_AT - 1000, minute)
      expect(server.count("refresh")).toBe(0)
      yield* TestClock.adjust(1000)
      const release = gate()
      server.enqueue("refresh", { kind: "wait", until: release.until, next: { kind: "token" } })
      const during = yield* concurrently(200, manager.getToken())
      expect(new Set(during)).toEqual(new Set([first]))
      yield* settle
      expect(server.count("refresh")).toBe(1)
      expect((yield* manager.status()).state).toBe("refreshing")
      expect(yield* concurrently(50, manager.getToken())).toEqual(Array(50).fill(first))
      release.open()
      yield* settle
      const second = Redacted.value(yield* manager.getToken())
      expect(second).not.toBe(first)
      expect(server.count("refresh")).toBe(1)
      expect(server.count("authenticate")).toBe(1)
      expect(recorder.tags()).toEqual(["Minted", "Refreshed"])
      expect(server.requests.find((r) => r.endpoint === "refresh")?.headers.token).toBe(first)
    })
  )

  it.effect("falls back to authenticate when the refresh is refused (AUTH_ERR_006/007/008)", () =>
    Effect.gen(function* () {
      for (const code of ["AUTH_ERR_006", "AUTH_ERR_007", "AUTH_ERR_008"]) {
        const { server, manager } = yield* harness()
        const recorder = collect(manager)
        yield* recorder.start
        const first = Redacted.value(yield* manager.getToken())
        server.enqueue("refresh", { kind: "authError", code, message: "Invalid Token, Please try with a Valid Token." })
        yield* TestClock.adjust(REFRESH_AT)
        expect(Redacted.value(yield* manager.getToken())).toBe(first)
        yield* settle
        expect(server.count("refresh")).toBe(1)
        expect(server.count("authenticate")).toBe(2)
        const second = Redacted.value(yield* manager.getToken())
        expect(second).not.toBe(first)
        expect(recorder.tags()).toEqual(["Minted", "Minted"])
        expect((yield* manager.getManagedToken()).via).toBe("authenticate")
      }
    })
  )

  it.effect("keeps serving a valid token while refreshes fail: degraded, never cached, then recovered", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ api: { retry: { maxAttempts: 1 } } })
      const recorder = collect(manager)
      yield* recorder.start
      const first = Redacted.value(yield* manager.getToken())
      server.otherwise("refresh", { kind: "reset" })
      yield* TestClock.adjust(REFRESH_AT)
      expect(Redacted.value(yield* manager.getToken())).toBe(first)
      yield* settle
      expect(server.count("refresh")).toBe(1)
      expect(recorder.tags()).toEqual(["Minted", "RefreshFailed", "Degraded"])
      const status = yield* manager.status()
      expect(status).toMatchObject({ state: "degraded", degraded: true, consecutiveFailures: 1 })
      expect(status.lastError).toMatchObject({ _tag: "Unavailable", kind: "unavailable" })
      const labels = { scope: "PaymentTokenization", credentials: status.credentialsId }
      const gauge = yield* Metric.value(Metric.withAttributes(Metrics.degraded, labels))
      expect(gauge.value).toBe(1)
      // Backoff: no new attempt for 1 s, then a real one.
      expect(Redacted.value(yield* manager.getToken())).toBe(first)
      yield* settle
      expect(server.count("refresh")).toBe(1)
      yield* TestClock.adjust(1000)
      expect(Redacted.value(yield* manager.getToken())).toBe(first)
      yield* settle
      expect(server.count("refresh")).toBe(2)
      // After two failed refreshes the manager authenticates instead.
      server.enqueue("authenticate", { kind: "reset" })
      yield* TestClock.adjust(2000)
      expect(Redacted.value(yield* manager.getToken())).toBe(first)
      yield* settle
      expect(server.count("refresh")).toBe(2)
      expect(server.count("authenticate")).toBe(2)
      yield* TestClock.adjust(4000)
      const fresh = Redacted.value(yield* manager.getToken())
      yield* settle
      expect(fresh).toBe(first)
      const recovered = Redacted.value(yield* manager.getToken())
      expect(recovered).not.toBe(first)
      expect(recorder.tags()).toEqual([
        "Minted",
        "RefreshFailed",
        "Degraded",
        "RefreshFailed",
        "RefreshFailed",
        "Minted",
        "Recovered"
      ])
      expect(yield* manager.status()).toMatchObject({ state: "valid", degraded: false, consecutiveFailures: 0 })
    })
  )

  it.effect("authenticates instead of refreshing when expiry is near", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      yield* manager.getToken()
      // Usable until +3569 s, window 540 s: within the last quarter of the window.
      yield* TestClock.adjust(USABLE_UNTIL - 100_000)
      yield* manager.getToken()
      yield* settle
      expect(server.count("refresh")).toBe(0)
      expect(server.count("authenticate")).toBe(2)
    })
  )

  it.effect("makes callers wait on one acquisition once the token is past its margin", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const recorder = collect(manager)
      yield* recorder.start
      const first = Redacted.value(yield* manager.getToken())
      yield* TestClock.adjust(USABLE_UNTIL)
      const tokens = yield* concurrently(300, manager.getToken())
      expect(new Set(tokens).size).toBe(1)
      expect(tokens[0]).not.toBe(first)
      expect(server.count()).toBe(2)
      expect(server.count("refresh")).toBe(0)
      expect(recorder.tags()).toEqual(["Minted", "Expired", "Minted"])
    })
  )

  it.effect("does not cache a failed acquisition: every waiter gets the error, the next call tries again", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const recorder = collect(manager)
      yield* recorder.start
      server.enqueue("authenticate", {
        kind: "authError",
        code: "AUTH_ERR_004",
        message: "Invalid Credentials, Please Contact Support Team."
      })
      const results = yield* Effect.all(
        Array.from({ length: 20 }, () => Effect.flip(manager.getToken())),
        { concurrency: "unbounded" }
      )
      expect(results.map((e) => e._tag)).toEqual(Array(20).fill("InvalidCredentials"))
      expect(server.count()).toBe(1)
      expect(recorder.tags()).toEqual(["AcquisitionFailed"])
      const status = yield* manager.status()
      expect(status).toMatchObject({ state: "empty", lastError: { code: "AUTH_ERR_004" } })
      yield* manager.getToken()
      expect(server.count()).toBe(2)
    })
  )

  it.effect("invalidate: the next caller gets a new token; concurrent invalidations cause one acquisition", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const recorder = collect(manager)
      yield* recorder.start
      const refused = yield* manager.getToken()
      const after = yield* Effect.all(
        Array.from({ length: 100 }, () =>
          manager.invalidate({ token: refused }).pipe(Effect.andThen(manager.getToken()))
        ),
        { concurrency: "unbounded" }
      )
      const values = new Set(after.map(Redacted.value))
      expect(values.size).toBe(1)
      expect(values.has(Redacted.value(refused))).toBe(false)
      expect(server.count("authenticate")).toBe(2)
      expect(server.count("refresh")).toBe(0)
      // A late 401 for the old token does not throw away the new one.
      yield* manager.invalidate({ token: Redacted.value(refused) })
      yield* manager.getToken()
      expect(server.count()).toBe(2)
      expect(recorder.tags()).toEqual(["Minted", "Invalidated", "Minted"])
    })
  )

  it.effect("two concurrent 401s for a token being refreshed: exactly one new acquisition, an authentication", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const recorder = collect(manager)
      yield* recorder.start
      const refused = yield* manager.getToken()
      yield* TestClock.adjust(REFRESH_AT)
      const slow = gate()
      server.enqueue("refresh", { kind: "wait", until: slow.until, next: { kind: "token" } })
      // Inside the window: the current token at once, and one background refresh of it.
      expect(Redacted.value(yield* manager.getToken())).toBe(Redacted.value(refused))
      yield* settle
      expect(server.count("refresh")).toBe(1)
      // Two downstream 401s for that token race; the refresh answers after both invalidations.
      const callers = yield* Effect.forkChild(
        concurrently(2, manager.invalidate({ token: refused }).pipe(Effect.andThen(manager.getToken())))
      )
      yield* settle
      slow.open()
      yield* settle
      const after = yield* Fiber.join(callers)
      expect(new Set(after).size).toBe(1)
      expect(after[0]).not.toBe(Redacted.value(refused))
      // Not the refreshed descendant of the refused token: a new authentication, and only one.
      expect(server.issued.map((i) => i.token).indexOf(after[0] ?? "")).toBe(2)
      expect(server.count("authenticate")).toBe(2)
      expect(server.count("refresh")).toBe(1)
      expect(recorder.tags()).toEqual(["Minted", "Invalidated", "Minted"])
      // Late 401s for the refused token change nothing; invalidate() without a token drops the current one.
      yield* manager.invalidate({ token: refused })
      expect(Redacted.value(yield* manager.getToken())).toBe(after[0])
      yield* manager.invalidate()
      expect(Redacted.value(yield* manager.getToken())).not.toBe(after[0])
      expect(server.count("authenticate")).toBe(3)
    })
  )

  it.effect("holds many scopes, and credential sets, at once", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const other = Result.getOrThrow(makeCredentials({ apiKey: "other-api-key-02", secretKey: "other-secret-02" }))
      for (let round = 0; round < 3; round++) {
        yield* manager.getToken()
        yield* manager.getToken({ scope: "Recurring" })
        yield* manager.getToken({ scope: "BatchReport" })
        yield* manager.getToken({ scope: "Recurring", credentials: other })
      }
      expect(server.count()).toBe(4)
      expect(server.requests.map((r) => [r.headers.scope, r.headers.apikey])).toEqual([
        ["PaymentTokenization", fakeCredentials.apiKey],
        ["Recurring", fakeCredentials.apiKey],
        ["BatchReport", fakeCredentials.apiKey],
        ["Recurring", "other-api-key-02"]
      ])
      const statuses = yield* manager.statuses
      expect(statuses.map((s) => s.scope)).toEqual(["PaymentTokenization", "Recurring", "BatchReport", "Recurring"])
      expect(new Set(statuses.map((s) => s.credentialsId)).size).toBe(2)
      const invalid = yield* Effect.flip(manager.getToken({ scope: "Nope" as "Recurring" }))
      expect(invalid._tag).toBe("ValidationError")
      const empty = { apiKey: Redacted.make("other-api-key-03"), secretKey: Redacted.make("") }
      const missing = yield* Effect.flip(manager.getToken({ scope: "Recurring", credentials: empty }))
      expect(missing).toMatchObject({ _tag: "ValidationError", field: "secretKey" })
      expect(server.count()).toBe(4)
    })
  )

  it.effect("refreshes on time when this machine's clock is 10 minutes behind the service's", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ skewMs: 10 * minute })
      const first = Redacted.value(yield* manager.getToken())
      const info = yield* manager.getManagedToken()
      expect(info.clockOffsetMs).toBe(10 * minute + 1000)
      // Locally it expires 3599 s from now, not 70 minutes from now as exp read on our clock would say.
      expect(info.localExpiresAt - EPOCH).toBe(EXPIRES)
      expect(info.expiresAt - EPOCH).toBe(70 * minute)
      yield* TestClock.adjust(REFRESH_AT)
      expect(Redacted.value(yield* manager.getToken())).toBe(first)
      yield* settle
      expect(server.count("refresh")).toBe(1)
      const refreshed = Redacted.value(yield* manager.getToken())
      expect(refreshed).not.toBe(first)
      yield* TestClock.adjust(USABLE_UNTIL - REFRESH_AT)
      expect(server.isExpired(refreshed)).toBe(false)
      expect(Redacted.value(yield* manager.getToken())).toBe(refreshed)
    })
  )

  it.effect("stops serving a token at its margin when this machine's clock is behind", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ skewMs: 10 * minute })
      const first = Redacted.value(yield* manager.getToken())
      yield* TestClock.adjust(USABLE_UNTIL)
      const served = Redacted.value(yield* manager.getToken())
      expect(served).not.toBe(first)
      expect(server.isExpired(served)).toBe(false)
      // A client comparing exp with its own clock would have served `first` for another 10 minutes.
      yield* TestClock.adjust(31_000)
      expect(server.isExpired(first)).toBe(true)
    })
  )

  it.effect("does not give up early when this machine's clock is ahead", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ skewMs: -10 * minute })
      const first = Redacted.value(yield* manager.getToken())
      yield* TestClock.adjust(45 * minute)
      expect(Redacted.value(yield* manager.getToken())).toBe(first)
      expect(server.count()).toBe(1)
    })
  )

  it.effect("is not fooled by the wall clock being set back (monotonic deadline)", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const first = Redacted.value(yield* manager.getToken())
      yield* TestClock.adjust(50 * minute)
      yield* TestClock.setTime(EPOCH)
      yield* TestClock.adjust(15 * minute)
      // 65 minutes really passed: the first token is expired at the service.
      expect(server.isExpired(first)).toBe(true)
      const served = Redacted.value(yield* manager.getToken())
      expect(served).not.toBe(first)
      expect(server.isExpired(served)).toBe(false)
    })
  )

  it.effect("refuses a token that is already expired on arrival instead of handing it out", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      server.enqueue("authenticate", { kind: "token", iatOffsetSeconds: -7200 })
      const error = yield* Effect.flip(manager.getToken())
      expect(error).toMatchObject({ _tag: "MalformedResponse", kind: "malformed" })
      expect(Redacted.value(yield* manager.getToken()).length).toBeGreaterThan(0)
    })
  )

  it.effect("refresh() refreshes now through /v1/refresh-token", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const first = Redacted.value(yield* manager.getToken())
      const refreshed = Redacted.value(yield* manager.refresh())
      expect(refreshed).not.toBe(first)
      expect(server.count("refresh")).toBe(1)
      expect(Redacted.value(yield* manager.getToken())).toBe(refreshed)
    })
  )

  it.effect("keepFresh refreshes on a timer, without callers", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ manager: { keepFresh: true } })
      const recorder = collect(manager)
      yield* recorder.start
      yield* manager.getToken()
      yield* advance(REFRESH_AT + 1000, minute)
      expect(server.count("refresh")).toBe(1)
      expect(recorder.tags()).toEqual(["Minted", "Refreshed"])
      yield* advance(REFRESH_AT + 1000, minute)
      expect(server.count("refresh")).toBe(2)
    })
  )

  it.effect("keepFresh re-authenticates when refreshes failed until the token expired", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness({ manager: { keepFresh: true }, api: { retry: { maxAttempts: 1 } } })
      const recorder = collect(manager)
      yield* recorder.start
      yield* manager.getToken()
      server.otherwise("refresh", { kind: "reset" }).otherwise("authenticate", { kind: "reset" })
      yield* advance(USABLE_UNTIL + 1000, 5000)
      expect(recorder.tags()).toContain("Degraded")
      expect(recorder.tags()).toContain("Expired")
      expect(recorder.tags().at(-1)).toBe("AcquisitionFailed")
      server.otherwise("authenticate", { kind: "token" })
      yield* manager.getToken()
      expect(recorder.tags().at(-1)).toBe("Minted")
    })
  )

  it.effect("starts each refresh-ahead at its own jittered moment inside the window", () =>
    Effect.gen(function* () {
      // With jitter 0.5 the 9-minute window of a 1-hour token shrinks by up to half: the refresh
      // starts at +3029 s + 0.5·u·540 s, so replicas drawing different u refresh apart.
      for (const [u, refreshAt] of [
        [0.2, 3_083_000],
        [0.8, 3_245_000]
      ] as const) {
        yield* Effect.scoped(
          Effect.gen(function* () {
            const { server, manager } = yield* harness({ manager: { refreshPolicy: { jitter: 0.5 } } }).pipe(
              Effect.provideService(Random.Random, { nextDoubleUnsafe: () => u, nextIntUnsafe: () => 0 })
            )
            yield* manager.getToken()
            expect((yield* manager.getManagedToken()).refreshAt - EPOCH).toBe(refreshAt)
            yield* TestClock.adjust(refreshAt - 1)
            yield* manager.getToken()
            yield* settle
            expect(server.count("refresh")).toBe(0)
            yield* TestClock.adjust(1)
            yield* manager.getToken()
            yield* settle
            expect(server.count("refresh")).toBe(1)
          })
        )
      }
    })
  )

  it.effect("records metrics: requests and acquisitions by outcome and code, seconds to expiry", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      // The counters are shared by every test of this file: compare with their state before.
      const failed = Metric.withAttributes(Metrics.acquisitionsTotal, {
        scope: "ExternalApi",
        via: "authenticate",
        outcome: "failure",
        code: "AUTH_ERR_005"
      })
      const succeeded = Metric.withAttributes(Metrics.requestsTotal, {
        operation: "authenticate",
        outcome: "success",
        code: "none"
      })
      const before = [(yield* Metric.value(failed)).count, (yield* Metric.value(succeeded)).count]
      server.enqueue("authenticate", { kind: "authError", code: "AUTH_ERR_005", message: "Invalid scope provided." })
      yield* Effect.flip(manager.getToken({ scope: "ExternalApi" }))
      yield* manager.getToken({ scope: "ExternalApi" })
      const after = [(yield* Metric.value(failed)).count, (yield* Metric.value(succeeded)).count]
      expect(after.map((n, i) => n - (before[i] ?? 0))).toEqual([1, 1])
      yield* TestClock.adjust(60_000)
      const status = yield* manager.status({ scope: "ExternalApi" })
      const labels = { scope: "ExternalApi", credentials: status.credentialsId }
      const seconds = yield* Metric.value(Metric.withAttributes(Metrics.secondsToExpiry, labels))
      expect(seconds.value).toBe(3539)
      const expiresAt = yield* Metric.value(Metric.withAttributes(Metrics.expiresAt, labels))
      expect(expiresAt.value).toBe((EPOCH + EXPIRES) / 1000)
    })
  )

  it.effect("with keepFresh, keeps seconds-to-expiry current every second without being asked", () =>
    Effect.gen(function* () {
      const { manager } = yield* harness({ manager: { keepFresh: true, scope: "BatchReport" } })
      yield* manager.getToken()
      const labels = { scope: "BatchReport", credentials: (yield* manager.getManagedToken()).credentialsId }
      const gauge = Metric.withAttributes(Metrics.secondsToExpiry, labels)
      yield* advance(90_000, 1000)
      expect((yield* Metric.value(gauge)).value).toBe((EXPIRES - 90_000) / 1000)
      // One second later, without any call: the gauge moved by exactly one second.
      yield* TestClock.adjust(1000)
      yield* settle
      expect((yield* Metric.value(gauge)).value).toBe((EXPIRES - 91_000) / 1000)
    })
  )

  it.effect("records each call's latency on the monotonic clock, even when the wall clock steps back", () =>
    Effect.gen(function* () {
      const { server, manager } = yield* harness()
      const histogram = Metric.withAttributes(Metrics.requestDuration, {
        operation: "authenticate",
        outcome: "success"
      })
      const before = yield* Metric.value(histogram)
      const answer = gate()
      server.enqueue("authenticate", { kind: "wait", until: answer.until, next: { kind: "token" } })
      const fiber = yield* Effect.forkChild(manager.getToken({ scope: "Recurring" }))
      yield* settle
      yield* TestClock.adjust(1500)
      // The wall clock is stepped back an hour while the call is in flight; the monotonic one is not.
      yield* TestClock.setTime(EPOCH - 3_600_000)
      answer.open()
      yield* Fiber.join(fiber)
      const after = yield* Metric.value(histogram)
      // The histogram is shared by every test of this file: compare with its state before.
      expect([after.count - before.count, after.sum - before.sum]).toEqual([1, 1500])
    })
  )

  it.effect("streams events to every subscriber", () =>
    Effect.gen(function* () {
      const { manager } = yield* harness()
      const fiber = yield* Effect.forkChild(Stream.runCollect(Stream.take(manager.events, 2)))
      yield* settle
      const token = yield* manager.getToken()
      yield* manager.invalidate({ token })
      const events: ReadonlyArray<TokenEvent> = yield* Fiber.join(fiber)
      expect(events.map((e) => e._tag)).toEqual(["Minted", "Invalidated"])
      expect(events[0]).toMatchObject({ scope: "PaymentTokenization", at: EPOCH, expiresAt: EPOCH + EXPIRES })
    })
  )

  it.effect("builds both layers from the IPOS_* environment", () =>
    Effect.gen(function* () {
      const server = new FakeAuthServer()
      const layer = TokenManager.layerConfig({ api: { fetch: server.fetch } })
      const env = {
        IPOS_API_KEY: "layer-fake-api-key",
        IPOS_SECRET_KEY: "layer-fake-secret",
        IPOS_SCOPE: "BatchReport",
        IPOS_AUTH_URL: "http://from-env.test.invalid",
        IPOS_TOKEN_EXPIRY_MINUTES: "45"
      }
      const token = yield* TokenManager.use((manager) => manager.getToken()).pipe(
        Effect.provide(layer),
        Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord(env))
      )
      expect(Redacted.value(token).split(".")).toHaveLength(3)
      expect(server.requests[0]?.headers).toMatchObject({
        apikey: "layer-fake-api-key",
        scope: "BatchReport",
        jwttokenexpiryminutes: "45"
      })
      const missing = yield* Effect.flip(
        TokenManager.use((manager) => manager.getToken()).pipe(
          Effect.provide(layer),
          Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord({}))
        )
      )
      expect(missing).toMatchObject({ _tag: "ValidationError", field: "IPOS_API_KEY" })
      const api = yield* AuthApi.use((a) => Effect.succeed(a.baseUrl)).pipe(
        Effect.provide(AuthApi.layerConfig()),
        Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord({ IPOS_ENV: "production" }))
      )
      expect(api).toBe("https://auth.ipospays.com")
    })
  )

  it.effect("refuses empty default credentials, even Redacted ones, before sending anything", () =>
    Effect.gen(function* () {
      const credentials = { apiKey: Redacted.make("fake-api-key-04"), secretKey: Redacted.make("") }
      const error = yield* Effect.flip(harness({ manager: { credentials } }))
      expect(error).toMatchObject({ _tag: "ValidationError", field: "secretKey" })
    })
  )

  it.effect.each<[string, TokenManagerOptions, string]>([
    [
      "a negative margin ratio (it would hand a token out past its exp)",
      { refreshPolicy: { marginRatio: -1, minMarginMs: 0, maxMarginRatio: -1 } },
      "refreshPolicy.marginRatio must be a number from 0 and less than 1 (got -1)"
    ],
    [
      "an infinite jitter",
      { refreshPolicy: { jitter: Number.POSITIVE_INFINITY } },
      "refreshPolicy.jitter must be a number from 0 to 1 (got Infinity)"
    ],
    [
      "a negative refreshFailuresBeforeReauthenticate",
      { refreshFailuresBeforeReauthenticate: -1 },
      "refreshFailuresBeforeReauthenticate must be a whole number from 0 to 100 (got -1)"
    ],
    ["a slotIdleMs below 1 s", { slotIdleMs: 10 }, "slotIdleMs must be a number from 1000 to 86400000 (got 10)"],
    ["a maxSlots of 0", { maxSlots: 0 }, "maxSlots must be a whole number from 1 to 10000000 (got 0)"],
    [
      "keepFresh as a string",
      { keepFresh: "no" as unknown as boolean },
      "keepFresh must be true or false (got a string)"
    ]
  ])("refuses %s when the layer is built: a ValidationError, nothing sent", ([_, options, reason]) =>
    Effect.gen(function* () {
      const server = new FakeAuthServer()
      const error = yield* Effect.flip(
        TokenManager.layer(options).pipe(
          Layer.provide(
            AuthApi.layer({ credentials: fakeCredentials, baseUrl: "http://auth.test.invalid", fetch: server.fetch })
          ),
          Layer.build,
          Effect.scoped
        )
      )
      expect(error).toMatchObject({ _tag: "ValidationError", field: "options", reason })
      expect(server.count()).toBe(0)
    })
  )

  it.effect("refuses an expiryMinutes outside 30..1440 when the layer is built, not at the first call", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(harness({ manager: { expiryMinutes: 5 } }))
      expect(error).toMatchObject({ _tag: "ValidationError", field: "expiryMinutes" })
    })
  )

  it.effect("refuses an unknown default scope", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(harness({ manager: { scope: "paymentTokenize" as "Recurring" } }))
      expect(error).toMatchObject({ _tag: "ValidationError", field: "scope" })
    })
  )

  it.effect("fails with ManagerClosed once its scope is closed: waiting callers and later ones", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const { server, manager } = yield* harness().pipe(Scope.provide(scope))
      server.enqueue("authenticate", { kind: "hang" })
      const waiting = yield* Effect.forkChild(Effect.flip(manager.getToken()))
      yield* settle
      expect(server.count()).toBe(1)
      yield* Scope.close(scope, Exit.void)
      const interrupted = yield* Fiber.join(waiting)
      expect(interrupted).toBeInstanceOf(ManagerClosed)
      expect(interrupted).toMatchObject({ _tag: "ManagerClosed", kind: "unavailable", retryable: false })
      for (const call of [manager.getToken(), manager.getToken({ scope: "Recurring" }), manager.refresh()]) {
        expect(yield* Effect.flip(call)).toBeInstanceOf(ManagerClosed)
      }
      expect(server.count()).toBe(1)
    })
  )

  it.effect("does not hand out its cached token once closed", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const { server, manager } = yield* harness().pipe(Scope.provide(scope))
      yield* manager.getToken()
      yield* Scope.close(scope, Exit.void)
      expect(yield* Effect.flip(manager.getToken())).toBeInstanceOf(ManagerClosed)
      expect(server.count()).toBe(1)
    })
  )
})
