/**
 * The `openapi-fetch` client of the iPOSpays Authentication Token API: every path, header and
 * response typed from the `paths` that openapi-typescript generated out of `spec/openapi.yaml`.
 *
 * @module
 */
import createClient, { type Client } from "openapi-fetch"
import type { paths } from "./generated/paths.gen.js"

/** Base URLs of the two iPOSpays environments, as declared in the spec's `servers`. */
export const servers = {
  sandbox: "https://auth.ipospays.tech",
  production: "https://auth.ipospays.com"
} as const

/** An iPOSpays environment name. */
export type Environment = keyof typeof servers

/** Options of {@link createAuthClient}. */
export interface AuthClientOptions {
  /** Origin of the auth service: one of {@link servers}, a local sandbox or a Prism mock. */
  readonly baseUrl: string
  /** The `fetch` to use; defaults to `globalThis.fetch` (Node 20+ and browsers). */
  readonly fetch?: typeof globalThis.fetch
}

/** A typed `openapi-fetch` client of both auth endpoints. */
export type AuthClient = Client<paths>

/**
 * Creates a typed `openapi-fetch` client. The body of a `200` is `TokenResponse | AuthError`:
 * the vendor documents errors under `200`, so the types make callers look at the body.
 *
 * @example
 * ```ts
 * const client = createAuthClient({ baseUrl: servers.sandbox })
 * const { data } = await client.POST("/v1/authenticate-token", {
 *   params: { header: { apiKey, secretKey, scope: "PaymentTokenization" } }
 * })
 * if (data && "token" in data) console.log("expires per the token's exp claim")
 * ```
 */
export const createAuthClient = (options: AuthClientOptions): AuthClient =>
  createClient<paths>(
    options.fetch === undefined ? { baseUrl: options.baseUrl } : { baseUrl: options.baseUrl, fetch: options.fetch }
  )
