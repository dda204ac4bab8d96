/**
 * CORS for the browser demo: which origins may call the sandbox, and the headers that let a page
 * send the auth headers (`apiKey`, `secretKey`, `scope`, …) and read `Date` and `Retry-After`.
 */
import { allowList, originOf } from "./internal/allowList.js"

/** Allowed origins: `"*"` for any, or exact origins such as `http://localhost:5173`. */
export type CorsOrigin = string | ReadonlyArray<string>

/**
 * Request headers a page may send (a preflight asks for them in lower case; browsers compare
 * case-insensitively). `Prefer` lets the same page talk to Prism's mock.
 *
 * @example
 * ```ts
 * corsAllowedHeaders.includes("jwtTokenExpiryMinutes") // true
 * ```
 */
export const corsAllowedHeaders: ReadonlyArray<string> = [
  "apiKey",
  "secretKey",
  "scope",
  "jwtTokenExpiryMinutes",
  "refreshToken",
  "token",
  "Prefer",
  "Content-Type"
]

/**
 * Response headers a page may read besides the safelisted ones.
 *
 * @example
 * ```ts
 * corsExposedHeaders // ["Date", "Retry-After"]
 * ```
 */
export const corsExposedHeaders: ReadonlyArray<string> = ["Date", "Retry-After"]

const allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"

/** A validated CORS configuration: any origin, or a set of exact origins. */
export type CorsPolicy = { readonly _tag: "Any" } | { readonly _tag: "Origins"; readonly origins: ReadonlySet<string> }

/**
 * Validates the `corsOrigin` option (or the variable named `name`). Each origin is normalised the
 * way browsers send it (`http://localhost:5173/` becomes `http://localhost:5173`); paths, `null`
 * and non-HTTP schemes are refused.
 *
 * @example
 * ```ts
 * corsPolicy(["http://localhost:5173"]) // { _tag: "Origins", origins: Set { "http://localhost:5173" } }
 * ```
 */
export const corsPolicy = (
  option: CorsOrigin | undefined,
  name = "corsOrigin",
  got?: (value: string) => string
): CorsPolicy | undefined => {
  if (option === undefined) return undefined
  const list = allowList(name, option, originOf, "origins like http://localhost:5173", got)
  return list.any ? { _tag: "Any" } : { _tag: "Origins", origins: list.values }
}

const allows = (policy: CorsPolicy, origin: string): boolean => policy._tag === "Any" || policy.origins.has(origin)

/**
 * Headers for an ordinary response: the origin is allowed only when it matches.
 *
 * @example
 * ```ts
 * corsHeaders({ _tag: "Any" }, "http://localhost:5173")
 * // { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Date, Retry-After" }
 * ```
 */
export const corsHeaders = (policy: CorsPolicy | undefined, origin: string | undefined): Record<string, string> => {
  if (policy === undefined) return {}
  // A listed-origins answer depends on the request's Origin, so caches must key on it.
  const vary: Record<string, string> = policy._tag === "Origins" ? { Vary: "Origin" } : {}
  if (origin === undefined || !allows(policy, origin)) return vary
  return {
    "Access-Control-Allow-Origin": policy._tag === "Any" ? "*" : origin,
    "Access-Control-Expose-Headers": corsExposedHeaders.join(", "),
    ...vary
  }
}

/**
 * Headers for a preflight (`OPTIONS` with `Access-Control-Request-Method`); without a matching
 * origin there are none and the browser blocks the request.
 *
 * @example
 * ```ts
 * preflightHeaders({ _tag: "Any" }, "http://localhost:5173")["Access-Control-Allow-Headers"]
 * // "apiKey, secretKey, scope, jwtTokenExpiryMinutes, refreshToken, token, Prefer, Content-Type"
 * ```
 */
export const preflightHeaders = (
  policy: CorsPolicy | undefined,
  origin: string | undefined
): Record<string, string> => {
  const base = corsHeaders(policy, origin)
  if (!("Access-Control-Allow-Origin" in base)) return base
  return {
    ...base,
    "Access-Control-Allow-Methods": allowedMethods,
    "Access-Control-Allow-Headers": corsAllowedHeaders.join(", "),
    "Access-Control-Max-Age": "600"
  }
}
