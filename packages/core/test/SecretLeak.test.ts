/**
 * For random API keys, secret keys and tokens, every failure path is run — local validation, every
 * AUTH_ERR (documented and not), HTML/empty/non-JSON/wrong-shape bodies, resets, 429s, timeouts,
 * tokens that arrive expired, background refresh failures, invalidations, the Promise facade — with
 * a server that ECHOES the secrets back in its bodies and a transport whose errors mention them.
 * Then every error message, `String(error)`, JSON, `util.inspect`, stack, event, status, log line
 * (at the most verbose level), span name/attribute/event and metric attribute is searched for the
 * secrets in any common encoding.
 */

import { inspect } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import * as References from "effect/References"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { AuthApi, makeAuthApi } from "../src/AuthApi.js"
import { loadAuthConfig } from "../src/Config.js"
import { makeCredentials } from "../src/Credentials.js"
import { createTokenManager } from "../src/createTokenManager.js"
import type { TokenEvent } from "../src/TokenEvents.js"
import { makeTokenManager } from "../src/TokenManager.js"
import { type Behaviour, FakeAuthServer, makeJwt } from "./support/FakeAuthServer.js"
import { advance, EPOCH, serverClock, settle } from "./support/harness.js"

const seed = process.env.FC_SEED === undefined ? 7_340_033 : Number(process.env.FC_SEED)

// Realistic keys: visible ASCII, long enough not to occur by chance in ordinary text.
const secretArb = fc.stringMatching(/^[\x21-\x7e]{16,48}$/).filter((s) => /[A-Za-z0-9]{6}/.test(s))

const forms = (secret: string): ReadonlyArray<string> => [
  secret,
  encodeURIComponent(secret),
  JSON.stringify(secret).slice(1, -1),
  secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
]

const echo = (apiKey: string, secretKey: string, token: string) =>
  `apiKey=${apiKey} secretKey=${secretKey} token=${token} ${encodeURIComponent(secretKey)}`

const faults = (apiKey: string, secretKey: string, token: string): ReadonlyArray<Behaviour> => {
  const text = echo(apiKey, secretKey, token)
  const html = `<html><body><pre>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</pre></body></html>`
  return [
    ...[
      "AUTH_ERR_001",
      "AUTH_ERR_004",
      "AUTH_ERR_005",
      "AUTH_ERR_007",
      "AUTH_ERR_008",
      "AUTH_ERR_011",
      "AUTH_ERR_013"
    ].map((code): Behaviour => ({ kind: "authError", code, message: `${code} ${text}` })),
    { kind: "authError", code: "AUTH_ERR_004", message: text, status: 401 },
    { kind: "raw", status: 200, body: text, headers: { "content-type": "text/plain" } },
    { kind: "raw", status: 200, body: JSON.stringify({ responseCode: "01", echo: text, apiKey, secretKey, token }) },
    { kind: "raw", status: 200, body: JSON.stringify({ errorCode: `E-${secretKey}`, errorMessage: text }) },
    {
      kind: "raw",
      status: 200,
      body: JSON.stringify({ responseCode: "00", responseMessage: text, createdDt: "soon", token })
    },
    { kind: "raw", status: 503, body: html, headers: { "content-type": "text/html" } },
    { kind: "raw", status: 404, body: html, headers: { "content-type": "text/html" } },
    { kind: "raw", status: 200, body: "" },
    { kind: "rateLimited", retryAfter: "1" },
    { kind: "hang" },
    { kind: "token", iatOffsetSeconds: -7200 }
  ]
}

/** Collects everything the library prints, records, traces or measures. */
const observe = () => {
  const outputs: Array<string> = []
  const spans: Array<Tracer.NativeSpan> = []
  const counts = { logs: 0, events: 0 }
  const logger = Logger.make((options) => {
    counts.logs++
    outputs.push(inspect(options.message, { depth: 10 }), inspect(options.cause, { depth: 10 }))
  })
  const tracer = Tracer.make({
    span: (options) => {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  const record = (value: unknown) => {
    if (value instanceof Error) outputs.push(value.message, String(value), String(value.stack))
    outputs.push(inspect(value, { depth: 10 }))
    try {
      outputs.push(JSON.stringify(value) ?? "")
    } catch {
      outputs.push("[not JSON]")
    }
  }
  const flush = Effect.gen(function* () {
    for (const span of spans) {
      outputs.push(
        span.name,
        inspect([...span.attributes.entries()], { depth: 10 }),
        inspect(span.events, { depth: 10 })
      )
    }
    outputs.push(inspect(yield* Metric.snapshot, { depth: 10 }))
  })
  const provide = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.provide(Logger.layer([logger])),
      Effect.provideService(References.MinimumLogLevel, "All"),
      Effect.provideService(Tracer.Tracer, tracer)
    )
  return { outputs, spans, counts, record, flush, provide }
}

const run = (apiKey: string, secretKey: string, token: string) =>
  Effect.gen(function* () {
    const seen = observe()
    yield* seen.provide(
      Effect.gen(function* () {
        yield* TestClock.setTime(EPOCH)
        const now = (yield* serverClock)(0)
        const server = new FakeAuthServer({ now, lifetimeSeconds: 3600 })
        const credentials = { apiKey, secretKey }
        // A transport whose failures mention the secrets (as some HTTP stacks do).
        let leaky = true
        const leakyFetch = (input: RequestInfo | URL, init?: RequestInit) =>
          leaky && server.requests.length % 7 === 3
            ? Promise.reject(
                Object.assign(new Error(`connect failed sending apiKey ${apiKey} / ${secretKey}`), {
                  code: "ECONNRESET"
                })
              )
            : server.fetch(input, init)
        const api = yield* makeAuthApi({
          credentials,
          baseUrl: "http://auth.test.invalid",
          fetch: leakyFetch,
          retry: { maxAttempts: 2, jitter: 0 }
        })

        // 1. AuthApi: every fault, on both endpoints.
        for (const fault of faults(apiKey, secretKey, token)) {
          for (const endpoint of ["authenticate", "refresh"] as const) {
            server.enqueue(endpoint, fault, fault)
            const call = endpoint === "authenticate" ? api.authenticate({ scope: "Recurring" }) : api.refresh(token)
            const fiber = yield* Effect.forkChild(Effect.result(call))
            yield* advance(25_000, 5_000)
            const result = yield* Fiber.join(fiber)
            seen.record(Result.isFailure(result) ? result.failure : result.success)
            server.clear()
          }
        }

        // 2. Local validation, with the secrets in the wrong places.
        const validation: ReadonlyArray<Effect.Effect<unknown, unknown>> = [
          api.authenticate({ scope: secretKey as "Recurring" }),
          api.refresh(`${secretKey}`),
          api.refresh(`x.${apiKey}`),
          makeAuthApi({ credentials: { apiKey: `${apiKey} `, secretKey } }),
          makeAuthApi({ baseUrl: `https://user:${encodeURIComponent(secretKey)}@auth.test.invalid` }),
          makeAuthApi({ env: secretKey as "sandbox" }),
          loadAuthConfig().pipe(
            Effect.provideService(
              ConfigProvider.ConfigProvider,
              ConfigProvider.fromEnvRecord({
                IPOS_API_KEY: apiKey,
                IPOS_SECRET_KEY: `${secretKey}\n`,
                IPOS_SCOPE: secretKey,
                IPOS_TOKEN_EXPIRY_MINUTES: secretKey
              })
            )
          ),
          loadAuthConfig().pipe(
            Effect.provideService(
              ConfigProvider.ConfigProvider,
              ConfigProvider.fromEnvRecord({ IPOS_API_KEY: apiKey, IPOS_SECRET_KEY: secretKey, IPOS_SCOPE: apiKey })
            )
          )
        ]
        for (const effect of validation) seen.record(yield* Effect.flip(effect))
        seen.record(makeCredentials({ apiKey: `\t${apiKey}`, secretKey }))

        // 3. The token manager: foreground and background failures, events, status.
        const events: Array<TokenEvent> = []
        const manager = yield* makeTokenManager({ refreshPolicy: { jitter: 0 } }).pipe(
          Effect.provideService(AuthApi, api)
        )
        yield* Effect.forkChild(Stream.runForEach(manager.events, (e) => Effect.sync(() => events.push(e))))
        yield* settle
        for (const fault of faults(apiKey, secretKey, token)) {
          server.enqueue("authenticate", fault, fault)
          const fiber = yield* Effect.forkChild(Effect.result(manager.getToken({ scope: "BatchReport" })))
          yield* advance(25_000, 5_000)
          seen.record(yield* Fiber.join(fiber))
          seen.record(yield* manager.status({ scope: "BatchReport" }))
          server.clear()
        }
        leaky = false
        const heldFiber = yield* Effect.forkChild(manager.getToken())
        yield* advance(5_000, 1_000)
        const held = yield* Fiber.join(heldFiber)
        leaky = true
        seen.record(held)
        for (const fault of faults(apiKey, secretKey, token).slice(0, 6)) {
          server.enqueue("refresh", fault, fault)
          const fiber = yield* Effect.forkChild(Effect.result(manager.refresh()))
          yield* advance(25_000, 5_000)
          seen.record(yield* Fiber.join(fiber))
          server.clear()
          seen.record(yield* manager.status())
        }
        yield* manager.invalidate({ token: held })
        seen.record(yield* manager.statuses)

        // 4. The Promise facade, with an echoing server.
        const facadeServer = new FakeAuthServer({ now })
        const tokens = createTokenManager({
          apiKey,
          secretKey,
          baseUrl: "http://auth.test.invalid",
          fetch: facadeServer.fetch,
          retry: { maxAttempts: 1 }
        })
        tokens.onEvent((e) => events.push(e))
        for (const fault of faults(apiKey, secretKey, token).filter((f) => f.kind !== "hang")) {
          facadeServer.clear().enqueue("authenticate", fault)
          const outcome = yield* Effect.promise(() =>
            tokens.getToken().then(
              () => "ok",
              (e: unknown) => e
            )
          )
          seen.record(outcome)
          seen.record(tokens.status())
          tokens.invalidate()
        }
        yield* Effect.promise(() => tokens.close())
        const invalid = createTokenManager({ apiKey: `${apiKey} x`, secretKey })
        seen.record(yield* Effect.promise(() => invalid.getToken().catch((e: unknown) => e)))
        seen.record(invalid.status())
        const fromEnv = createTokenManager({
          fromEnv: { IPOS_API_KEY: apiKey, IPOS_SECRET_KEY: secretKey, IPOS_ENV: secretKey }
        })
        seen.record(yield* Effect.promise(() => fromEnv.getToken().catch((e: unknown) => e)))

        seen.counts.events = events.length
        for (const event of events) seen.record(event)
        for (const issued of [...server.issued, ...facadeServer.issued]) {
          for (const output of seen.outputs) {
            if (output.includes(issued.token)) throw new Error("a whole issued token was printed")
          }
        }
        yield* seen.flush
        seen.outputs.push(inspect(Redacted.make(secretKey)))
      }).pipe(Effect.provide(TestClock.layer()), Effect.scoped)
    )
    return seen
  })

describe("secrets never leak", () => {
  it("across every failure path, for random keys and tokens", async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        secretArb,
        fc.record({ iat: fc.nat(), exp: fc.nat(), uniqueId: fc.uuid() }),
        async (apiKey, secretKey, claims) => {
          fc.pre(apiKey !== secretKey && !apiKey.includes(secretKey) && !secretKey.includes(apiKey))
          const token = makeJwt(claims)
          const seen = await Effect.runPromise(run(apiKey, secretKey, token))
          const outputs = seen.outputs
          // The run really went through the instrumented paths.
          expect(seen.counts.logs).toBeGreaterThan(10)
          expect(seen.counts.events).toBeGreaterThan(10)
          expect(new Set(seen.spans.map((span) => span.name))).toEqual(
            new Set(["ipos.auth.authenticate", "ipos.auth.refresh", "ipos.token.acquire"])
          )
          const leaks: Array<string> = []
          for (const output of outputs) {
            for (const [name, secret] of [
              ["apiKey", apiKey],
              ["secretKey", secretKey],
              ["token", token]
            ] as const) {
              for (const form of forms(secret)) {
                if (output.includes(form)) leaks.push(`${name} in: ${output.slice(0, 300)}`)
              }
            }
          }
          expect(outputs.length).toBeGreaterThan(200)
          expect(leaks).toEqual([])
        }
      ),
      { seed, numRuns: 12, endOnFailure: true }
    )
  }, 120_000)
})
