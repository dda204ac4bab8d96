/**
 * Effect Schemas of what travels on the wire: the scopes, the environments, the success body
 * (`TokenResponse`) and the refusal body (`AuthErrorBody`). A compile-time check
 * ({@link SpecConformance}) ties each schema to the type `@ipos/auth-client` generated from
 * `spec/openapi.yaml`: when the spec changes a field, `tsc` fails here until the core follows.
 *
 * @since 0.1.0
 */
import type {
  AuthError as GeneratedAuthError,
  Environment as GeneratedEnvironment,
  Scope as GeneratedScope,
  TokenResponse as GeneratedTokenResponse
} from "@ipos/auth-client"
import * as Schema from "effect/Schema"
import { environments, scopes } from "./internal/wire.js"

// The schemas are built at load time; `@__PURE__` lets a bundler drop the ones a page does not use.
// `scopes` and `environments` live in `internal/wire.ts`: a bundler that keeps a module's schemas
// once any of its exports is used (Vite's) would otherwise pull Schema in with them.

/**
 * Schema of a scope.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Scope } from "@ipos/auth-core"
 * Schema.is(Scope)("BatchReport") // true
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Scope = /* @__PURE__ */ Schema.Literals(scopes)

/**
 * A token scope: `PaymentTokenization` (Transact v3 and status APIs), `Recurring`, `BatchReport`
 * (closed batch reports) or `ExternalApi` (merchant onboarding).
 *
 * @example
 * ```ts
 * import type { Scope } from "@ipos/auth-core"
 * const scope: Scope = "PaymentTokenization"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Scope = typeof Scope.Type

/**
 * Schema of an environment name.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Environment } from "@ipos/auth-core"
 * Schema.is(Environment)("production") // true
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Environment = /* @__PURE__ */ Schema.Literals(environments)

/**
 * `sandbox` or `production`.
 *
 * @example
 * ```ts
 * import type { Environment } from "@ipos/auth-core"
 * const env: Environment = process.env.IPOS_ENV === "production" ? "production" : "sandbox"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Environment = typeof Environment.Type

/**
 * Schema of a compact JWS: three base64url segments (the spec's `Jwt`).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { JwtString } from "@ipos/auth-core"
 * Schema.is(JwtString)("a.b.c") // true
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const JwtString = /* @__PURE__ */ Schema.String.check(
  /* @__PURE__ */ Schema.isPattern(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
)

/**
 * Schema of the success body of both endpoints.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { TokenResponse } from "@ipos/auth-core"
 * const body = Schema.decodeUnknownSync(TokenResponse)({
 *   responseCode: "00", responseMessage: "Success", createdDt: "1749532846158", token: "a.b.c"
 * })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenResponse = /* @__PURE__ */ Schema.Struct({
  responseCode: /* @__PURE__ */ Schema.Literal("00"),
  responseMessage: Schema.String,
  createdDt: /* @__PURE__ */ Schema.String.check(/* @__PURE__ */ Schema.isPattern(/^[0-9]+$/)),
  token: JwtString
})

/**
 * The success body: `{ responseCode: "00", responseMessage, createdDt, token }`.
 *
 * @example
 * ```ts
 * import type { TokenResponse } from "@ipos/auth-core"
 * const created = (body: TokenResponse) => Number(body.createdDt)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type TokenResponse = typeof TokenResponse.Type

/**
 * Schema of a refusal body, `{ errorCode: "AUTH_ERR_xxx", errorMessage }`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { AuthErrorBody } from "@ipos/auth-core"
 * Schema.is(AuthErrorBody)({ errorCode: "AUTH_ERR_004", errorMessage: "Invalid Credentials" }) // true
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const AuthErrorBody = /* @__PURE__ */ Schema.Struct({
  errorCode: /* @__PURE__ */ Schema.String.check(/* @__PURE__ */ Schema.isPattern(/^AUTH_ERR_\d{3}$/)),
  errorMessage: Schema.String
})

/**
 * A refusal body.
 *
 * @example
 * ```ts
 * import type { AuthErrorBody } from "@ipos/auth-core"
 * const line = (body: AuthErrorBody) => `${body.errorCode}: ${body.errorMessage}`
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type AuthErrorBody = typeof AuthErrorBody.Type

/** Exact type equality (readonly-ness included). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type Conforms<T extends true> = T

/**
 * Compile-time proof that the schemas match the types generated from the spec. Each element only
 * type-checks while the two sides are identical; a field added, removed, renamed or retyped in
 * `spec/openapi.yaml` makes `tsc` fail on this line after `pnpm generate`.
 *
 * @example
 * ```ts
 * import type { SpecConformance } from "@ipos/auth-core"
 * // Resolves to [true, true, true, true, true, true]; after a spec change it stops compiling.
 * type Proof = SpecConformance
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type SpecConformance = [
  Conforms<Equals<TokenResponse, Readonly<GeneratedTokenResponse>>>,
  Conforms<Equals<typeof TokenResponse.Encoded, Readonly<GeneratedTokenResponse>>>,
  Conforms<Equals<AuthErrorBody, Readonly<GeneratedAuthError>>>,
  Conforms<Equals<typeof AuthErrorBody.Encoded, Readonly<GeneratedAuthError>>>,
  Conforms<Equals<Scope, GeneratedScope>>,
  Conforms<Equals<Environment, GeneratedEnvironment>>
]
