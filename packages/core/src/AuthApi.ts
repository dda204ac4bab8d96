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
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type { ClockOffset } from "./ClockSkew.js"
import { type AuthConfigInput, loadAuthConfig } from "./Config.js"
import type { Credentials, CredentialsInput } from "./Credentials.js"
import type { AuthFailure } from "./Failure.js"
import * as internal from "./internal/authApi.js"
import type { RetryPolicy } from "./Retry.js"
import type { Environment, Scope } from "./Schemas.js"
import type { Transport } from "./Transport.js"
import type { Operation } from "./TransportError.js"
import type { ValidationError } from "./ValidationError.js"

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
export const maxTokenLifetimeMs = internal.maxTokenLifetimeMs

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
  internal.makeAuthApi(options)
