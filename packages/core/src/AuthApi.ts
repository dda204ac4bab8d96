/**
 * The iPOSpays Authentication Token API as an Effect service: `authenticate` and `refresh`, over
 * the generated `openapi-fetch` client of `@ipos/auth-client` and an injectable `fetch`.
 *
 * Every call: validates its inputs before sending anything; runs each attempt under a timeout
 * (default 10 s) that aborts the request through its `AbortSignal` (so does interruption);
 * decides success or failure from the body's shape under any status; retries only retryable
 * failures (exponential backoff with jitter, 4 attempts, 30 s in total, `Retry-After` honoured);
 * learns the service's clock offset from the `Date` header and the token's `iat`; records a span
 * (`ipos.auth.authenticate` / `ipos.auth.refresh`) and metrics. Keys stay `Redacted` until the
 * headers are written; no message, span or metric carries a key or a whole token.
 *
 * @since 0.1.0
 */
import { type AuthClient, createAuthClient, type operations, type paths, servers } from "@ipos/auth-client"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { type ClockOffset, estimateOffset, noOffset, parseHttpDate } from "./ClockSkew.js"
import { type AuthConfigInput, loadAuthConfig } from "./Config.js"
import { type Credentials, type CredentialsInput, makeCredentials } from "./Credentials.js"
import { type AuthFailure, summarize } from "./Failure.js"
import { checkNumber, durationMs } from "./internal/options.js"
import {
  bodyFromError,
  bodyFromText,
  boundedResponse,
  classify,
  type RawAnswer,
  sendFailure
} from "./internal/response.js"
import { decodeJwt, fingerprint as fingerprintOf } from "./Jwt.js"
import * as Metrics from "./Metrics.js"
import { type RetryPolicy, validateRetryPolicy, withRetry } from "./Retry.js"
import type { Environment, Scope } from "./Schemas.js"
import type { Transport } from "./Transport.js"
import { isTransportError, MalformedResponse, type Operation, Timeout, withCallContext } from "./TransportError.js"
import {
  ValidationError,
  validateBaseUrl,
  validateEnvironment,
  validateExpiryMinutes,
  validateScope,
  validateToken
} from "./ValidationError.js"

/**
 * A `fetch`-compatible function: `globalThis.fetch`, `nodeFetch` from `@ipos/auth-core/node`, or a
 * test double.
 *
 * @example
 * ```ts
 * import { makeAuthApi, type Fetch } from "@ipos/auth-core"
 * const logged: Fetch = (input, init) => fetch(input, init)
 * makeAuthApi({ fetch: logged })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/**
 * Options of the API layer. Everything is optional: without a base URL the environment's server is
 * used (`sandbox` by default).
 *
 * @example
 * ```ts
 * import type { AuthApiOptions } from "@ipos/auth-core"
 * const options: AuthApiOptions = { credentials: { apiKey, secretKey }, env: "sandbox", timeoutMs: 5000, retry: { maxAttempts: 3 } }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthApiOptions {
  /** Default credentials for `authenticate`. */
  readonly credentials?: Credentials | CredentialsInput | undefined
  /** `sandbox` (default) or `production`: picks the server from the spec's `servers`. */
  readonly env?: Environment | undefined
  /** Overrides the server, e.g. `http://127.0.0.1:4010` (a sandbox or Prism). */
  readonly baseUrl?: string | undefined
  /** The `fetch` under the generated client; defaults to `globalThis.fetch`. */
  readonly fetch?: Fetch | undefined
  /**
   * Replaces the generated client and `fetch` with a plain {@link Transport} (e.g. `nodeTransport`
   * from `@ipos/auth-core/node`); `fetch` is ignored then.
   */
  readonly transport?: Transport | undefined
  /** Extra headers on every request (e.g. `Prefer: example=AUTH_ERR_004` for Prism). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Per-attempt timeout in milliseconds (default 10 000). */
  readonly timeoutMs?: number | undefined
  /** Overrides of the retry policy. */
  readonly retry?: Partial<RetryPolicy> | undefined
  /** Default requested lifetime for `authenticate` (30…1440 minutes); not sent when absent. */
  readonly expiryMinutes?: number | undefined
}

/**
 * A request for a new token.
 *
 * @example
 * ```ts
 * import type { AuthenticateRequest } from "@ipos/auth-core"
 * const request: AuthenticateRequest = { scope: "Recurring", expiryMinutes: 120 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthenticateRequest {
  readonly scope: Scope
  /** Requested lifetime (30…1440); defaults to the layer's `expiryMinutes`, else not sent. */
  readonly expiryMinutes?: number | undefined
  /** Overrides the layer's credentials. */
  readonly credentials?: Credentials | undefined
}

/**
 * Options of a refresh.
 *
 * @example
 * ```ts
 * import type { RefreshOptions } from "@ipos/auth-core"
 * const options: RefreshOptions = { fallbackExpiryMinutes: 60 }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshOptions {
  /** Lifetime assumed when the new token has no readable `exp` (default 30 minutes). */
  readonly fallbackExpiryMinutes?: number | undefined
}

/**
 * A token as issued, with what is known about its lifetime. Server times are epoch milliseconds
 * on the service's clock; `local*` times are on this machine's clock, corrected by the learned
 * offset.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { IssuedToken } from "@ipos/auth-core"
 * const header = (issued: IssuedToken) => ({ token: Redacted.value(issued.token) })
 * const expires = (issued: IssuedToken) => new Date(issued.localExpiresAt).toISOString()
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface IssuedToken {
  /** The JWT, `Redacted`: `Redacted.value(issued.token)` to put it in a header. */
  readonly token: Redacted.Redacted<string>
  readonly operation: Operation
  /** The requested scope (`undefined` for a refresh). */
  readonly scope: Scope | undefined
  /** The claim `scope` (an internal name such as `paymentTokenize`). */
  readonly claimScope: string | undefined
  /** `…` and the last 6 characters of the signature. */
  readonly fingerprint: string
  /** `createdDt` as sent (a string of epoch milliseconds). */
  readonly createdDt: string
  /** `iat` in ms (service clock), when readable. */
  readonly issuedAt: number | undefined
  /** `exp` in ms (service clock); `createdDt` + requested minutes only when `exp` is unreadable. */
  readonly expiresAt: number
  readonly expirySource: "exp" | "createdDt"
  /** Local wall-clock time the successful attempt started. */
  readonly requestedAt: number
  /** Local monotonic time (ms) the successful attempt started. */
  readonly requestedAtMonotonic: number
  /** Local wall-clock time the answer arrived. */
  readonly receivedAt: number
  /** The learned `service − local` offset used for this token. */
  readonly clockOffset: ClockOffset
  /**
   * `expiresAt` on the local clock (`expiresAt − clockOffset.offsetMs`), but never more than
   * {@link maxTokenLifetimeMs} after `requestedAt` or `localIssuedAt`: the expiry used for caching.
   */
  readonly localExpiresAt: number
  /** `issuedAt` on the local clock, when known. */
  readonly localIssuedAt: number | undefined
  /** Attempts it took (1 without retries). */
  readonly attempts: number
}

/**
 * The service.
 *
 * @example
 * ```ts
 * import { AuthApi, type AuthApiShape } from "@ipos/auth-core"
 * const fake: AuthApiShape = AuthApi.of({ ...realApi, authenticate: () => Effect.fail(new Timeout({ operation: "authenticate", timeoutMs: 1 })) })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthApiShape {
  /** The server in use (no trailing slash). */
  readonly baseUrl: string
  /** The default credentials, if any. */
  readonly credentials: Credentials | undefined
  /** `POST /v1/authenticate-token`. */
  readonly authenticate: (request: AuthenticateRequest) => Effect.Effect<IssuedToken, AuthFailure>
  /** `POST /v1/refresh-token`. */
  readonly refresh: (
    token: Redacted.Redacted<string> | string,
    options?: RefreshOptions
  ) => Effect.Effect<IssuedToken, AuthFailure>
  /** The clock offset learned from the last answer. */
  readonly clockOffset: Effect.Effect<ClockOffset>
}

/**
 * The API service.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { AuthApi } from "@ipos/auth-core"
 *
 * const program = Effect.gen(function* () {
 *   const api = yield* AuthApi
 *   const issued = yield* api.authenticate({ scope: "PaymentTokenization", expiryMinutes: 60 })
 *   return Redacted.value(issued.token)
 * }).pipe(Effect.provide(AuthApi.layer({ credentials: { apiKey, secretKey }, env: "sandbox" })))
 * ```
 *
 * @since 0.1.0
 * @category services
 */
export class AuthApi extends Context.Service<AuthApi, AuthApiShape>()("@ipos/auth-core/AuthApi") {
  /**
   * A layer from options (validated when the layer is built).
   *
   * @example
   * ```ts
   * const ApiLive = AuthApi.layer({ credentials: { apiKey, secretKey }, baseUrl: "http://127.0.0.1:4010" })
   * ```
   */
  static readonly layer = (options: AuthApiOptions = {}): Layer.Layer<AuthApi, ValidationError> =>
    Layer.effect(AuthApi, makeAuthApi(options))

  /**
   * A layer from the environment (`IPOS_*`, see `Config`); `options` override it.
   *
   * @example
   * ```ts
   * const ApiLive = AuthApi.layerConfig({ timeoutMs: 5000 })
   * ```
   */
  static readonly layerConfig = (
    options: Omit<AuthApiOptions, "credentials" | "env" | "baseUrl" | "expiryMinutes"> & {
      readonly overrides?: AuthConfigInput | undefined
    } = {}
  ): Layer.Layer<AuthApi, ValidationError> =>
    Layer.effect(
      AuthApi,
      Effect.flatMap(loadAuthConfig(options.overrides), (config) =>
        makeAuthApi({
          ...options,
          credentials: config.credentials,
          env: config.env,
          baseUrl: config.baseUrl,
          expiryMinutes: config.expiryMinutes
        })
      )
    )
}

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

/**
 * The longest a token is cached after it was issued: the API's maximum lifetime (1440 minutes)
 * plus one minute of slack for whole-second claims. `IssuedToken.localExpiresAt` never lies further
 * than this after the request started (nor after the token's `iat`, when readable), whatever the
 * token's `exp` says: a token whose `exp` is absurd (milliseconds instead of seconds) is not
 * cached for ever.
 *
 * @example
 * ```ts
 * import { maxTokenLifetimeMs } from "@ipos/auth-core"
 * maxTokenLifetimeMs // 86_460_000 (24 h + 1 min)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const maxTokenLifetimeMs = (1440 + 1) * 60_000
const FALLBACK_EXPIRY_MINUTES = 30

/**
 * Builds the service from options. Fails with a `ValidationError` for a bad base URL, environment,
 * timeout, expiry or credentials.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { makeAuthApi } from "@ipos/auth-core"
 * const api = Effect.runSync(makeAuthApi({ baseUrl: "http://127.0.0.1:4010", credentials: { apiKey, secretKey } }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
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
