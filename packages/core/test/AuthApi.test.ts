import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import { TestClock } from "effect/testing"
import { type AuthApiOptions, type Fetch, makeAuthApi, maxTokenLifetimeMs } from "../src/AuthApi.js"
import { authErrorTags, type DocumentedAuthErrorCode } from "../src/AuthError.js"
import { decodeJwt } from "../src/Jwt.js"
import type { Scope } from "../src/Schemas.js"
import { type Behaviour, FakeAuthServer, makeJwt } from "./support/FakeAuthServer.js"
import { advance, EPOCH, fakeCredentials, serverClock, settle } from "./support/harness.js"
import { redirectServers } from "./support/redirectServers.js"

const setup = (options: { skewMs?: number; api?: Partial<AuthApiOptions>; dateHeader?: boolean } = {}) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(EPOCH)
    const server = new FakeAuthServer({
      now: (yield* serverClock)(options.skewMs ?? 0),
      ...(options.dateHeader === undefined ? {} : { dateHeader: options.dateHeader })
    })
    const api = yield* makeAuthApi({
      credentials: fakeCredentials,
      baseUrl: "http://auth.test.invalid",
      fetch: server.fetch,
      ...options.api
    })
    return { server, api }
  })

const documented: ReadonlyArray<readonly [DocumentedAuthErrorCode, "authenticate" | "refresh"]> = [
  ["AUTH_ERR_001", "authenticate"],
  ["AUTH_ERR_002", "authenticate"],
  ["AUTH_ERR_003", "authenticate"],
  ["AUTH_ERR_004", "authenticate"],
  ["AUTH_ERR_005", "authenticate"],
  ["AUTH_ERR_011", "authenticate"],
  ["AUTH_ERR_012", "authenticate"],
  ["AUTH_ERR_006", "refresh"],
  ["AUTH_ERR_007", "refresh"],
  ["AUTH_ERR_008", "refresh"],
  ["AUTH_ERR_009", "refresh"]
]

const someToken = () => makeJwt({ scope: "paymentTokenize", iat: 1, exp: 2 })

describe("AuthApi", () => {
  it.effect("sends the credentials, scope and expiry as headers, and extra headers", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ api: { headers: { Prefer: "example=Success" } } })
      const issued = yield* api.authenticate({ scope: "Recurring", expiryMinutes: 60 })
      expect(server.requests).toHaveLength(1)
      expect(server.requests[0]?.endpoint).toBe("authenticate")
      expect(server.requests[0]?.headers).toMatchObject({
        apikey: fakeCredentials.apiKey,
        secretkey: fakeCredentials.secretKey,
        scope: "Recurring",
        jwttokenexpiryminutes: "60",
        prefer: "example=Success"
      })
      expect(issued.operation).toBe("authenticate")
      expect(issued.scope).toBe("Recurring")
      expect(issued.claimScope).toBe("paymentTokenize")
      expect(issued.attempts).toBe(1)
      expect(String(issued.token)).toBe("<redacted>")
      const decoded = decodeJwt(Redacted.value(issued.token))
      if (decoded._tag !== "Success") throw new Error("not a JWT")
      expect(issued.expiresAt).toBe(decoded.success.expiresAt)
      expect(issued.expirySource).toBe("exp")
      expect(issued.fingerprint).toBe(decoded.success.fingerprint)
    })
  )

  it.effect("omits jwtTokenExpiryMinutes when no expiry is asked for", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      yield* api.authenticate({ scope: "PaymentTokenization" })
      expect(server.requests[0]?.headers.jwttokenexpiryminutes).toBeUndefined()
    })
  )

  it.effect("refreshes with refreshToken: true and the token header", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      const old = someToken()
      const issued = yield* api.refresh(Redacted.make(old))
      expect(server.requests[0]?.endpoint).toBe("refresh")
      expect(server.requests[0]?.headers).toMatchObject({ refreshtoken: "true", token: old })
      expect(server.requests[0]?.headers.apikey).toBeUndefined()
      expect(issued.operation).toBe("refresh")
      expect(issued.scope).toBeUndefined()
    })
  )

  it.effect("learns the service's clock offset from Date and iat", () =>
    Effect.gen(function* () {
      const { api } = yield* setup({ skewMs: 10 * 60_000 })
      const issued = yield* api.authenticate({ scope: "PaymentTokenization" })
      expect(issued.clockOffset.offsetMs).toBe(601_000)
      expect(issued.localExpiresAt).toBe(issued.expiresAt - 601_000)
      expect(yield* api.clockOffset).toEqual(issued.clockOffset)
      const { api: ahead } = yield* setup({ skewMs: 90_000, dateHeader: false })
      const fromIat = yield* ahead.authenticate({ scope: "PaymentTokenization" })
      expect(fromIat.clockOffset).toEqual({ offsetMs: 91_000, source: "iat" })
      // An iat alone that says the service is behind may be a stale token: not trusted.
      const { api: behind } = yield* setup({ skewMs: -90_000, dateHeader: false })
      const clamped = yield* behind.authenticate({ scope: "PaymentTokenization" })
      expect(clamped.clockOffset).toEqual({ offsetMs: 0, source: "none" })
      expect(clamped.localExpiresAt).toBe(clamped.expiresAt)
    })
  )

  it.effect("does not move the expiry of a stale token (old iat, no Date header) past its exp", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ dateHeader: false })
      // Minted 12 hours before it is sent, valid 24 h: 12 h left, not 24.
      server.enqueue("authenticate", { kind: "token", lifetimeSeconds: 86_400, iatOffsetSeconds: -43_200 })
      const issued = yield* api.authenticate({ scope: "PaymentTokenization" })
      expect(issued.expiresAt).toBe(EPOCH + 43_200_000)
      expect(issued.clockOffset).toEqual({ offsetMs: 0, source: "none" })
      expect(issued.localExpiresAt).toBe(EPOCH + 43_200_000)
    })
  )

  it.effect("caps the expiry used for caching at 24 h + 1 min after issue, whatever exp says", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      const iat = EPOCH / 1000
      // exp written in milliseconds instead of seconds: 55 000 years from now.
      const token = makeJwt({ scope: "paymentTokenize", iat, exp: EPOCH + 86_400_000 })
      server.enqueue("authenticate", {
        kind: "raw",
        status: 200,
        body: JSON.stringify({ responseCode: "00", responseMessage: "Success", createdDt: String(EPOCH), token })
      })
      const issued = yield* api.authenticate({ scope: "PaymentTokenization" })
      expect(issued.expiresAt).toBe((EPOCH + 86_400_000) * 1000)
      expect(issued.clockOffset).toEqual({ offsetMs: 1000, source: "date" })
      expect(maxTokenLifetimeMs).toBe(86_460_000)
      // iat on the local clock (EPOCH − 1 s, the offset being an upper bound) + 24 h + 1 min.
      expect(issued.localExpiresAt).toBe(EPOCH - 1000 + 86_460_000)
      // Without a readable iat: the request's start + 24 h + 1 min.
      const noIat = makeJwt({ scope: "paymentTokenize", exp: 4_102_444_800 })
      server.enqueue("authenticate", {
        kind: "raw",
        status: 200,
        body: JSON.stringify({ responseCode: "00", responseMessage: "Success", createdDt: String(EPOCH), token: noIat })
      })
      const second = yield* api.authenticate({ scope: "PaymentTokenization" })
      expect(second.expiresAt).toBe(4_102_444_800_000)
      expect(second.localExpiresAt).toBe(EPOCH + 86_460_000)
    })
  )

  it.effect("falls back to createdDt + requested minutes only when exp is unreadable", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      const token = makeJwt({ scope: "paymentTokenize" })
      server.enqueue("authenticate", {
        kind: "raw",
        status: 200,
        body: JSON.stringify({ responseCode: "00", responseMessage: "Success", createdDt: String(EPOCH), token })
      })
      const issued = yield* api.authenticate({ scope: "PaymentTokenization", expiryMinutes: 45 })
      expect(issued.expirySource).toBe("createdDt")
      expect(issued.expiresAt).toBe(EPOCH + 45 * 60_000)
    })
  )

  for (const status of [200, 400, 401, 500]) {
    it.effect.each(documented)(`maps %s under HTTP ${status} to its class, without retrying`, ([code, endpoint]) =>
      Effect.gen(function* () {
        const { server, api } = yield* setup()
        server.enqueue(endpoint, { kind: "authError", code, message: `documented message ${code}`, status })
        const call =
          endpoint === "authenticate" ? api.authenticate({ scope: "PaymentTokenization" }) : api.refresh(someToken())
        const error = yield* Effect.flip(call)
        expect(error._tag).toBe(authErrorTags[code])
        expect(error).toMatchObject({ code, serverMessage: `documented message ${code}`, status, kind: "rejected" })
        expect(server.count()).toBe(1)
      })
    )
  }

  it.effect("keeps an unknown AUTH_ERR verbatim", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      server.enqueue("authenticate", { kind: "authError", code: "AUTH_ERR_013", message: "Brand new refusal." })
      const error = yield* Effect.flip(api.authenticate({ scope: "PaymentTokenization" }))
      expect(error).toMatchObject({
        _tag: "UnknownAuthError",
        code: "AUTH_ERR_013",
        serverMessage: "Brand new refusal."
      })
    })
  )

  it.effect("takes any AUTH_ERR_ code as a refusal: more digits, or no errorMessage", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      const raw = (body: unknown) => ({ kind: "raw", status: 200, body: JSON.stringify(body) }) as const
      server.enqueue("authenticate", raw({ errorCode: "AUTH_ERR_4242", errorMessage: "Longer code." }))
      server.enqueue("authenticate", raw({ errorCode: "AUTH_ERR_004" }))
      server.enqueue("authenticate", raw({ errorCode: "AUTH_ERR_<script>", errorMessage: "x" }))
      const errors = [
        yield* Effect.flip(api.authenticate({ scope: "PaymentTokenization" })),
        yield* Effect.flip(api.authenticate({ scope: "PaymentTokenization" })),
        yield* Effect.flip(api.authenticate({ scope: "PaymentTokenization" }))
      ]
      expect(errors.map((e) => [e._tag, e.message])).toEqual([
        ["UnknownAuthError", "AUTH_ERR_4242: Longer code."],
        ["InvalidCredentials", "AUTH_ERR_004: refused by iPOSpays"],
        [
          "MalformedResponse",
          "iPOSpays authenticate sent an unexpected response (HTTP 200): an errorCode that is not an AUTH_ERR_ code (origin http://auth.test.invalid)"
        ]
      ])
    })
  )

  const faults: ReadonlyArray<
    readonly [string, Behaviour, { _tag: string; reason?: string; status?: number; retried: boolean }]
  > = [
    [
      "an HTML 503",
      {
        kind: "raw",
        status: 503,
        body: "<html><body>Service Unavailable</body></html>",
        headers: { "content-type": "text/html" }
      },
      { _tag: "Unavailable", status: 503, reason: "HTTP 503", retried: true }
    ],
    [
      "a 502 with an empty body",
      { kind: "raw", status: 502, body: "" },
      { _tag: "Unavailable", status: 502, retried: true }
    ],
    ["a reset connection", { kind: "reset" }, { _tag: "Unavailable", reason: "ECONNRESET", retried: true }],
    ["a refused connection", { kind: "refused" }, { _tag: "Unavailable", reason: "ECONNREFUSED", retried: true }],
    [
      "an empty 200",
      { kind: "raw", status: 200, body: "" },
      { _tag: "MalformedResponse", reason: "empty body", status: 200, retried: false }
    ],
    [
      "a 200 that is not JSON",
      { kind: "raw", status: 200, body: "OK", headers: { "content-type": "text/plain" } },
      { _tag: "MalformedResponse", reason: "a body that is not JSON", status: 200, retried: false }
    ],
    [
      "a 200 of the wrong shape",
      { kind: "raw", status: 200, body: JSON.stringify({ responseCode: "01", responseMessage: "Failed" }) },
      {
        _tag: "MalformedResponse",
        reason: "a responseCode other than 00 without an errorCode",
        status: 200,
        retried: false
      }
    ],
    [
      "a 502 whose body looks like an AUTH_ERR outside the spec (a gateway's)",
      { kind: "raw", status: 502, body: JSON.stringify({ errorCode: "AUTH_ERR_GATEWAY" }) },
      { _tag: "Unavailable", status: 502, retried: true }
    ],
    [
      "a 429 whose body looks like an AUTH_ERR outside the spec",
      { kind: "raw", status: 429, body: JSON.stringify({ errorCode: "AUTH_ERR_9999", errorMessage: "Slow down" }) },
      { _tag: "RateLimited", retried: true }
    ],
    [
      "a 404 HTML page",
      { kind: "raw", status: 404, body: "<html>Not Found</html>", headers: { "content-type": "text/html" } },
      { _tag: "MalformedResponse", reason: "a body that is not JSON", status: 404, retried: false }
    ]
  ]

  it.effect.each(faults)("classifies %s", ([_, behaviour, expected]) =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ api: { retry: { jitter: 0 } } })
      server.otherwise("authenticate", behaviour)
      const fiber = yield* Effect.forkChild(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
      yield* advance(5000)
      const error = yield* Fiber.join(fiber)
      const { retried, ...fields } = expected
      expect(error).toMatchObject(fields)
      expect(server.count()).toBe(retried ? 4 : 1)
    })
  )

  it.effect("names the origin it tried (never the path) and the attempts and time of a failure after retries", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({
        api: { retry: { jitter: 0 }, baseUrl: "http://auth.test.invalid:8443/gateway/v9" }
      })
      server.otherwise("authenticate", { kind: "refused" })
      const fiber = yield* Effect.forkChild(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
      yield* advance(5000)
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({
        _tag: "Unavailable",
        reason: "ECONNREFUSED",
        origin: "http://auth.test.invalid:8443",
        attempts: 4,
        elapsedMs: 1750
      })
      // Retries after 250, 500 and 1000 ms.
      expect(error.message).toBe(
        "iPOSpays authenticate unavailable: ECONNREFUSED (origin http://auth.test.invalid:8443; 4 attempts over 1750 ms)"
      )
    })
  )

  it.effect("names the origin of a failure that was not retried", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      server.enqueue("refresh", { kind: "raw", status: 200, body: "" })
      const error = yield* Effect.flip(api.refresh(someToken()))
      expect(error.message).toBe(
        "iPOSpays refresh sent an unexpected response (HTTP 200): empty body (origin http://auth.test.invalid)"
      )
    })
  )

  it.effect("refuses a retry policy without end when built: a ValidationError, nothing sent", () =>
    Effect.gen(function* () {
      const server = new FakeAuthServer()
      const error = yield* Effect.flip(
        makeAuthApi({
          credentials: fakeCredentials,
          baseUrl: "http://auth.test.invalid",
          fetch: server.fetch,
          retry: { maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY }
        })
      )
      expect(error).toMatchObject({
        _tag: "ValidationError",
        field: "options",
        reason: "retry.maxAttempts must be a whole number from 1 to 100 (got Infinity)"
      })
      expect(server.count()).toBe(0)
    })
  )

  it.effect("recovers when a retry succeeds", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ api: { retry: { jitter: 0 } } })
      server.enqueue("authenticate", { kind: "raw", status: 503, body: "busy" }, { kind: "reset" })
      const fiber = yield* Effect.forkChild(api.authenticate({ scope: "PaymentTokenization" }))
      yield* advance(1000)
      const issued = yield* Fiber.join(fiber)
      expect(issued.attempts).toBe(3)
      expect(server.requests.map((r) => r.at - EPOCH)).toEqual([0, 250, 750])
    })
  )

  it.effect("waits what a 429's Retry-After asks (seconds and HTTP date)", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ api: { retry: { jitter: 0 } } })
      server.enqueue(
        "authenticate",
        { kind: "rateLimited", retryAfter: "3" },
        { kind: "rateLimited", retryAfter: new Date(EPOCH + 8000).toUTCString() }
      )
      const fiber = yield* Effect.forkChild(api.authenticate({ scope: "PaymentTokenization" }))
      yield* advance(10_000)
      yield* Fiber.join(fiber)
      expect(server.requests.map((r) => r.at - EPOCH)).toEqual([0, 3000, 8000])
    })
  )

  it.effect("gives up on a 429 whose Retry-After does not fit in the time budget", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      server.enqueue("authenticate", { kind: "rateLimited", retryAfter: "120" })
      const error = yield* Effect.flip(api.authenticate({ scope: "PaymentTokenization" }))
      expect(error).toMatchObject({ _tag: "RateLimited", retryAfterMs: 120_000, kind: "unavailable" })
      expect(server.count()).toBe(1)
    })
  )

  it.effect("times out slow answers per attempt, aborting each request", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ api: { retry: { jitter: 0 } } })
      const signals: Array<AbortSignal> = []
      const spy = (input: RequestInfo | URL, init?: RequestInit) => {
        if (input instanceof Request) signals.push(input.signal)
        return server.fetch(input, init)
      }
      const slow = yield* makeAuthApi({
        credentials: fakeCredentials,
        baseUrl: "http://auth.test.invalid",
        fetch: spy,
        retry: { jitter: 0 }
      })
      void api
      server.otherwise("authenticate", { kind: "hang" })
      const fiber = yield* Effect.forkChild(
        Effect.flip(slow.authenticate({ scope: "PaymentTokenization" })).pipe(
          Effect.flatMap((error) => Effect.map(Clock.currentTimeMillis, (at) => ({ error, elapsed: at - EPOCH })))
        )
      )
      yield* advance(40_000, 250)
      const { error, elapsed } = yield* Fiber.join(fiber)
      // 0–10 s, 10.25–20.25 s, then 20.75–30 s: the last attempt gets only what is left of the
      // 30 s budget, so the call ends at 30 s exactly, not at 30.75 s.
      expect(error).toMatchObject({ _tag: "Timeout", timeoutMs: 9_250, kind: "unavailable", retryable: true })
      // The message gives the whole call's figure and the attempts, not the last attempt's 9250 ms.
      expect(error).toMatchObject({ attempts: 3, elapsedMs: 30_000, origin: "http://auth.test.invalid" })
      expect(error.message).toBe(
        "iPOSpays authenticate timed out after 30000 ms in total (origin http://auth.test.invalid; 3 attempts, the last one cut at 9250 ms)"
      )
      expect(server.requests.map((r) => r.at - EPOCH)).toEqual([0, 10_250, 20_750])
      expect(elapsed).toBe(30_000)
      expect(signals.map((s) => s.aborted)).toEqual([true, true, true])
    })
  )

  it.effect("does not start an attempt with less than minAttemptMs (1 s) of the budget left", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ api: { retry: { jitter: 0 }, timeoutMs: 14_600 } })
      server.otherwise("authenticate", { kind: "hang" })
      const fiber = yield* Effect.forkChild(
        Effect.flip(api.authenticate({ scope: "PaymentTokenization" })).pipe(
          Effect.flatMap((error) => Effect.map(Clock.currentTimeMillis, (at) => ({ error, elapsed: at - EPOCH })))
        )
      )
      yield* advance(40_000, 50)
      const { error, elapsed } = yield* Fiber.join(fiber)
      // 0–14.6 s, 14.85–29.45 s; a third attempt would start at 29.95 s with 50 ms left: none.
      expect(error).toMatchObject({ _tag: "Timeout", timeoutMs: 14_600 })
      expect(server.requests.map((r) => r.at - EPOCH)).toEqual([0, 14_850])
      expect(elapsed).toBe(29_450)
    })
  )

  it.effect("clamps even the first attempt's timeout to a budget shorter than timeoutMs", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup({ api: { retry: { maxElapsedMs: 4000, jitter: 0 } } })
      server.otherwise("authenticate", { kind: "hang" })
      const fiber = yield* Effect.forkChild(
        Effect.flip(api.authenticate({ scope: "PaymentTokenization" })).pipe(
          Effect.flatMap((error) => Effect.map(Clock.currentTimeMillis, (at) => ({ error, elapsed: at - EPOCH })))
        )
      )
      yield* advance(10_000, 50)
      const { error, elapsed } = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "Timeout", timeoutMs: 4000 })
      expect(server.requests.map((r) => r.at - EPOCH)).toEqual([0])
      expect(elapsed).toBe(4000)
    })
  )

  it.effect("aborts the request when the caller is interrupted", () =>
    Effect.gen(function* () {
      const { server } = yield* setup()
      const signals: Array<AbortSignal> = []
      const api = yield* makeAuthApi({
        credentials: fakeCredentials,
        baseUrl: "http://auth.test.invalid",
        fetch: (input, init) => {
          if (input instanceof Request) signals.push(input.signal)
          return server.fetch(input, init)
        }
      })
      server.otherwise("authenticate", { kind: "hang" })
      const fiber = yield* Effect.forkChild(api.authenticate({ scope: "PaymentTokenization" }))
      yield* settle
      expect(signals.map((s) => s.aborted)).toEqual([false])
      yield* Fiber.interrupt(fiber)
      expect(signals.map((s) => s.aborted)).toEqual([true])
    })
  )

  it.effect("validates before sending anything", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      const cases = [
        api.authenticate({ scope: "paymentTokenize" as Scope }),
        api.authenticate({ scope: "Recurring", expiryMinutes: 10 }),
        api.authenticate({ scope: "Recurring", expiryMinutes: 1441 }),
        api.refresh("not-a-jwt")
      ]
      for (const call of cases) {
        const error = yield* Effect.flip(call)
        expect(error._tag).toBe("ValidationError")
        expect(error.kind).toBe("validation")
      }
      const bare = yield* makeAuthApi({ baseUrl: "http://auth.test.invalid", fetch: server.fetch })
      const missing = yield* Effect.flip(bare.authenticate({ scope: "Recurring" }))
      expect(missing).toMatchObject({ _tag: "ValidationError", field: "apiKey" })
      expect(server.count()).toBe(0)
    })
  )

  it.effect("refuses bad options when built", () =>
    Effect.gen(function* () {
      for (const options of [
        { baseUrl: "nope" },
        { env: "staging" as "sandbox" },
        { timeoutMs: 0 },
        { expiryMinutes: 5 },
        { credentials: { apiKey: "", secretKey: "x" } },
        { credentials: { apiKey: Redacted.make("fake-api"), secretKey: Redacted.make("") } },
        { credentials: { apiKey: Redacted.make(" "), secretKey: Redacted.make("fake-secret") } }
      ]) {
        const error = yield* Effect.flip(makeAuthApi(options))
        expect(error._tag).toBe("ValidationError")
      }
      expect((yield* makeAuthApi({ env: "production" })).baseUrl).toBe("https://auth.ipospays.com")
      expect((yield* makeAuthApi()).baseUrl).toBe("https://auth.ipospays.tech")
    })
  )

  it.effect("decides from the body even under a 5xx", () =>
    Effect.gen(function* () {
      const { server, api } = yield* setup()
      server.enqueue("authenticate", {
        kind: "authError",
        code: "AUTH_ERR_004",
        message: "Invalid Credentials, Please Contact Support Team.",
        status: 503
      })
      const error = yield* Effect.flip(api.authenticate({ scope: "PaymentTokenization" }))
      expect(error._tag).toBe("InvalidCredentials")
      expect(server.count()).toBe(1)
    })
  )
})

describe("AuthApi over the default fetch (openapi-fetch + globalThis.fetch)", () => {
  const redirectCases: ReadonlyArray<readonly [string, number, "authenticate" | "refresh"]> = [
    ["a 307 on authenticate", 307, "authenticate"],
    ["a 308 on refresh", 308, "refresh"],
    ["a 302 on authenticate", 302, "authenticate"]
  ]
  it.each(redirectCases)(
    "does not follow %s to another origin: nothing reaches it, MalformedResponse",
    async (_, status, operation) => {
      const servers = await redirectServers(status)
      try {
        const api = await Effect.runPromise(makeAuthApi({ credentials: fakeCredentials, baseUrl: servers.first }))
        const call =
          operation === "authenticate"
            ? api.authenticate({ scope: "PaymentTokenization" })
            : api.refresh(makeJwt({ scope: "paymentTokenize", iat: 1, exp: 2 }))
        const error = await Effect.runPromise(Effect.flip(call))
        expect(error).toMatchObject({
          _tag: "MalformedResponse",
          operation,
          status,
          reason: `a redirect (HTTP ${status}), not followed`,
          kind: "malformed",
          retryable: false
        })
        expect(servers.firstSeen).toHaveLength(1)
        expect(servers.secondSeen).toEqual([])
      } finally {
        await servers.close()
      }
    }
  )

  it("refuses a browser's opaque answer to redirect: manual (status 0) as a redirect", async () => {
    const requests: Array<Request> = []
    // What a browser's fetch resolves to for a redirect under `redirect: "manual"`.
    const browserLike: Fetch = (input) => {
      if (input instanceof Request) requests.push(input)
      const response = new Response(null, { status: 302 })
      Object.defineProperties(response, {
        type: { value: "opaqueredirect" },
        status: { value: 0 },
        ok: { value: false }
      })
      return Promise.resolve(response)
    }
    const api = await Effect.runPromise(
      makeAuthApi({ credentials: fakeCredentials, baseUrl: "http://auth.test.invalid", fetch: browserLike })
    )
    const error = await Effect.runPromise(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
    expect(error).toMatchObject({ _tag: "MalformedResponse", status: 0, reason: "a redirect, not followed" })
    expect(requests.map((r) => r.redirect)).toEqual(["manual"])
  })

  it("caps the body at 64 KiB: a larger answer is a MalformedResponse, not retried", async () => {
    const server = new FakeAuthServer()
    server.otherwise("authenticate", { kind: "raw", status: 200, body: `{"pad":"${"x".repeat(70_000)}"}` })
    const api = await Effect.runPromise(
      makeAuthApi({ credentials: fakeCredentials, baseUrl: "http://auth.test.invalid", fetch: server.fetch })
    )
    const error = await Effect.runPromise(Effect.flip(api.authenticate({ scope: "PaymentTokenization" })))
    expect(error).toMatchObject({
      _tag: "MalformedResponse",
      status: 200,
      reason: "a body larger than 64 KiB",
      excerpt: ""
    })
    expect(server.count()).toBe(1)
  })
})
