/**
 * The implementation of `makeAuthApi`, apart from the `AuthApi` service and its layers so that
 * `createTokenManager` does not pull `Config` (and the Schema behind it) into a browser bundle.
 *
 * @internal
 */
import { type AuthClient, createAuthClient, type operations, type paths, servers } from "@ipos/auth-client"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type {
  AuthApiOptions,
  AuthApiShape,
  AuthenticateRequest,
  Fetch,
  IssuedToken,
  RefreshOptions
} from "../AuthApi.js"
import { type ClockOffset, estimateOffset, noOffset, parseHttpDate } from "../ClockSkew.js"
import { type Credentials, makeCredentials } from "../Credentials.js"
import { type AuthFailure, summarize } from "../Failure.js"
import { decodeJwt, fingerprint as fingerprintOf } from "../Jwt.js"
import * as Metrics from "../Metrics.js"
import { type RetryPolicy, validateRetryPolicy, withRetry } from "../Retry.js"
import type { Scope } from "../Schemas.js"
import type { Transport } from "../Transport.js"
import { isTransportError, MalformedResponse, type Operation, Timeout, withCallContext } from "../TransportError.js"
import {
  ValidationError,
  validateBaseUrl,
  validateEnvironment,
  validateExpiryMinutes,
  validateScope,
  validateToken
} from "../ValidationError.js"
import { checkNumber, durationMs } from "./options.js"
import { bodyFromError, bodyFromText, boundedResponse, classify, type RawAnswer, sendFailure } from "./response.js"

const defaultFetch: Fetch = (input, init) => globalThis.fetch(input, init)

/**
 * The `fetch` under the generated client: redirects are not followed (`redirect: "manual"`, set
 * on the request by the client and again here for a `fetch` that builds its own request), and the
 * body is read with a bound (`maxResponseBodyBytes`, 64 KiB).
 */
const guardedFetch =
  (base: Fetch): Fetch =>
  (input, init) =>
    base(input, { ...init, redirect: "manual" }).then((response) => boundedResponse(response))

// The headers as the spec types them: both request paths build exactly these.
type AuthenticateHeader = operations["authenticateToken"]["parameters"]["header"]
type RefreshHeader = operations["refreshToken"]["parameters"]["header"]

const DEFAULT_TIMEOUT_MS = 10_000

/** See `maxTokenLifetimeMs` in `AuthApi.ts`. */
export const maxTokenLifetimeMs = (1440 + 1) * 60_000
const FALLBACK_EXPIRY_MINUTES = 30

/** Builds the service from options (the body of `AuthApi.ts`'s `makeAuthApi`). */
export const makeAuthApi = (options: AuthApiOptions = {}): Effect.Effect<AuthApiShape, ValidationError> =>
  Effect.gen(function* () {
    const env = yield* Effect.fromResult(validateEnvironment(options.env ?? "sandbox"))
    const baseUrl = yield* Effect.fromResult(validateBaseUrl(options.baseUrl ?? servers[env]))
    // Validated even when already `Redacted`: an empty key is refused here, never sent.
    const credentials =
      options.credentials === undefined ? undefined : yield* Effect.fromResult(makeCredentials(options.credentials))
    const defaultExpiry =
      options.expiryMinutes === undefined
        ? undefined
        : yield* Effect.fromResult(validateExpiryMinutes(options.expiryMinutes))
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    yield* Effect.fromResult(checkNumber("timeoutMs", timeoutMs, { ...durationMs, minExclusive: true }))
    const policy: RetryPolicy = yield* Effect.fromResult(validateRetryPolicy(options.retry))
    // Named in transport failures: the origin only, never the path (nor a query: there is none).
    const origin = new URL(baseUrl).origin
    const extraHeaders = { ...options.headers }
    // The client is created only without a transport: creating it reads `globalThis.Request`,
    // which on Node 20 loads undici — the start-up cost a transport is there to avoid.
    const sender: { readonly client: AuthClient } | { readonly transport: Transport } =
      options.transport === undefined
        ? { client: createAuthClient({ baseUrl, fetch: guardedFetch(options.fetch ?? defaultFetch) }) }
        : { transport: options.transport }
    let lastOffset: ClockOffset = noOffset

    type Send = (signal: AbortSignal) => Promise<RawAnswer>

    const toAnswer = (result: { data?: unknown; error?: unknown; response: Response }): RawAnswer => ({
      // A browser answers `redirect: "manual"` with an opaque response of status 0.
      status: result.response.type === "opaqueredirect" ? 0 : result.response.status,
      body: result.response.ok
        ? bodyFromText(typeof result.data === "string" ? result.data : undefined)
        : bodyFromError(result.error),
      date: result.response.headers.get("date"),
      retryAfter: result.response.headers.get("retry-after")
    })

    /**
     * What every call through the generated client shares: the extra headers, the raw text body
     * (classified by shape, not status) and no redirects (following one would re-send the keys).
     */
    const clientOptions = (signal: AbortSignal) =>
      ({ headers: extraHeaders, parseAs: "text", redirect: "manual", signal }) as const

    /** The same request through a plain transport: header values as strings, no client, no `Request`. */
    const viaTransport =
      (send: Transport, path: keyof paths, header: Readonly<Record<string, string | number | boolean>>): Send =>
      (signal) =>
        send({
          url: `${baseUrl}${path}`,
          headers: { ...extraHeaders, ...Object.fromEntries(Object.entries(header).map(([k, v]) => [k, String(v)])) },
          signal
        }).then((answer) => ({
          status: answer.status,
          body: bodyFromText(answer.body),
          date: answer.date,
          retryAfter: answer.retryAfter
        }))

    /** One attempt: send, classify, build the issued token. */
    const attemptOnce = (
      operation: Operation,
      send: Send,
      secrets: ReadonlyArray<string>,
      scope: Scope | undefined,
      fallbackMinutes: number,
      attempt: number,
      budgetMs: number
    ): Effect.Effect<IssuedToken, AuthFailure> => {
      // Never past the retry policy's total budget: the attempt gets what is left of it.
      const attemptTimeoutMs = Math.max(0, Math.min(timeoutMs, budgetMs))
      return Effect.gen(function* () {
        const clock = yield* Clock.Clock
        const requestedAt = clock.currentTimeMillisUnsafe()
        const requestedAtMonotonic = Number(clock.monotonicTimeNanosUnsafe()) / 1e6
        const answer = yield* Effect.tryPromise({
          try: (signal) => send(signal),
          catch: (cause) => sendFailure(operation, cause)
        })
        const receivedAt = clock.currentTimeMillisUnsafe()
        const serverDate = parseHttpDate(answer.date)
        const body = yield* Effect.fromResult(classify(operation, answer, secrets, serverDate ?? receivedAt))
        const decoded = decodeJwt(body.token)
        const claims = Result.isSuccess(decoded) ? decoded.success : undefined
        const offset = estimateOffset({ requestedAt, receivedAt, serverDate, issuedAt: claims?.issuedAt }, lastOffset)
        lastOffset = offset
        const createdAt = Number(body.createdDt)
        const expiresAt = claims?.expiresAt ?? createdAt + fallbackMinutes * 60_000
        if (!Number.isFinite(expiresAt)) {
          return yield* new MalformedResponse({
            operation,
            status: answer.status,
            reason: "a token without a readable expiry",
            excerpt: ""
          })
        }
        const localIssuedAt = claims?.issuedAt === undefined ? undefined : claims.issuedAt - offset.offsetMs
        // No token lives longer than the API's maximum (24 h) after it was issued, and it was
        // issued before its answer arrived: an absurd `exp` (milliseconds instead of seconds) is
        // cut to what the API can have meant, plus a slack for whole-second claims.
        const ceiling = Math.min(
          requestedAt + maxTokenLifetimeMs,
          localIssuedAt === undefined ? Number.POSITIVE_INFINITY : localIssuedAt + maxTokenLifetimeMs
        )
        return {
          token: Redacted.make(body.token),
          operation,
          scope,
          claimScope: claims?.claimScope,
          fingerprint: claims?.fingerprint ?? fingerprintOf(body.token),
          createdDt: body.createdDt,
          issuedAt: claims?.issuedAt,
          expiresAt,
          expirySource: claims?.expiresAt === undefined ? "createdDt" : "exp",
          requestedAt,
          requestedAtMonotonic,
          receivedAt,
          clockOffset: offset,
          localExpiresAt: Math.min(expiresAt - offset.offsetMs, ceiling),
          localIssuedAt,
          attempts: attempt
        } satisfies IssuedToken
      }).pipe(
        Effect.timeoutOrElse({
          duration: attemptTimeoutMs,
          orElse: () => Effect.fail(new Timeout({ operation, timeoutMs: attemptTimeoutMs }))
        })
      )
    }

    /** Retries, span, metrics around the attempts. */
    const call = (
      operation: Operation,
      send: Send,
      secrets: ReadonlyArray<string>,
      scope: Scope | undefined,
      fallbackMinutes: number
    ): Effect.Effect<IssuedToken, AuthFailure> =>
      Effect.gen(function* () {
        // Monotonic: a wall-clock step (NTP, a suspended laptop) must not make a latency negative.
        const started = yield* Clock.monotonicTimeNanos
        let attempts = 0
        const outcomeOf = yield* Effect.result(
          withRetry(
            policy,
            (n, budgetMs) => {
              attempts = n
              return attemptOnce(operation, send, secrets, scope, fallbackMinutes, n, budgetMs)
            },
            (error, n, delayMs) =>
              Effect.all([
                Metric.update(Metric.withAttributes(Metrics.retriesTotal, { operation, code: codeLabel(error) }), 1),
                Effect.logDebug("iPOSpays auth call will be retried", {
                  operation,
                  attempt: n,
                  delayMs,
                  error: summarize(error).message
                })
              ]).pipe(Effect.asVoid)
          )
        )
        const elapsed = Number((yield* Clock.monotonicTimeNanos) - started) / 1e6
        // A transport failure says where it went and what the whole call took, not one attempt.
        const result = Result.mapError(outcomeOf, (error) =>
          isTransportError(error) ? withCallContext(error, { origin, attempts, elapsedMs: elapsed }) : error
        )
        const outcome = Result.isSuccess(result) ? "success" : "failure"
        const code = Result.isSuccess(result) ? "none" : codeLabel(result.failure)
        yield* Metric.update(Metric.withAttributes(Metrics.requestsTotal, { operation, outcome, code }), 1)
        yield* Metric.update(Metric.withAttributes(Metrics.requestDuration, { operation, outcome }), elapsed)
        yield* Effect.annotateCurrentSpan({
          "ipos.outcome": outcome,
          "ipos.code": code,
          ...(Result.isSuccess(result)
            ? { "ipos.attempts": result.success.attempts, "ipos.token.fingerprint": result.success.fingerprint }
            : {})
        })
        return yield* Effect.fromResult(result)
      }).pipe(
        Effect.withSpan(`ipos.auth.${operation}`, {
          attributes: {
            "ipos.operation": operation,
            "ipos.base_url": baseUrl,
            ...(scope ? { "ipos.scope": scope } : {})
          }
        })
      )

    const authenticate = (request: AuthenticateRequest): Effect.Effect<IssuedToken, AuthFailure> =>
      Effect.gen(function* () {
        const scope = yield* Effect.fromResult(validateScope(request.scope))
        const minutes =
          request.expiryMinutes === undefined
            ? defaultExpiry
            : yield* Effect.fromResult(validateExpiryMinutes(request.expiryMinutes))
        const creds = request.credentials ?? credentials
        if (creds === undefined) {
          return yield* new ValidationError({
            field: "apiKey",
            reason: "is missing (pass credentials, or set IPOS_API_KEY and IPOS_SECRET_KEY)"
          })
        }
        const apiKey = Redacted.value(creds.apiKey)
        const secretKey = Redacted.value(creds.secretKey)
        const header: AuthenticateHeader =
          minutes === undefined
            ? { apiKey, secretKey, scope }
            : { apiKey, secretKey, scope, jwtTokenExpiryMinutes: minutes }
        const send: Send =
          "client" in sender
            ? (signal) =>
                sender.client
                  .POST("/v1/authenticate-token", { params: { header }, ...clientOptions(signal) })
                  .then(toAnswer)
            : viaTransport(sender.transport, "/v1/authenticate-token", header)
        return yield* call("authenticate", send, [apiKey, secretKey], scope, minutes ?? FALLBACK_EXPIRY_MINUTES)
      })

    const refresh = (
      token: Redacted.Redacted<string> | string,
      refreshOptions: RefreshOptions = {}
    ): Effect.Effect<IssuedToken, AuthFailure> =>
      Effect.gen(function* () {
        const value = yield* Effect.fromResult(
          validateToken(Redacted.isRedacted(token) ? Redacted.value(token) : token)
        )
        const fallback =
          refreshOptions.fallbackExpiryMinutes === undefined
            ? FALLBACK_EXPIRY_MINUTES
            : yield* Effect.fromResult(validateExpiryMinutes(refreshOptions.fallbackExpiryMinutes))
        const header: RefreshHeader = { refreshToken: true, token: value }
        const send: Send =
          "client" in sender
            ? (signal) =>
                sender.client.POST("/v1/refresh-token", { params: { header }, ...clientOptions(signal) }).then(toAnswer)
            : viaTransport(sender.transport, "/v1/refresh-token", header)
        const secrets = credentials === undefined ? [value] : [value, ...credentialSecrets(credentials)]
        return yield* call("refresh", send, secrets, undefined, fallback)
      })

    return {
      baseUrl,
      credentials,
      authenticate,
      refresh,
      clockOffset: Effect.sync(() => lastOffset)
    } satisfies AuthApiShape
  })

const credentialSecrets = (c: Credentials): ReadonlyArray<string> => [
  Redacted.value(c.apiKey),
  Redacted.value(c.secretKey)
]

/** The metric label of a failure: its `AUTH_ERR` code, else its tag. */
const codeLabel = (error: AuthFailure): string => ("code" in error ? error.code : error._tag)
