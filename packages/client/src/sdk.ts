/**
 * The `@hey-api/openapi-ts` SDK of the iPOSpays Authentication Token API: plain functions for
 * consumers who want them, on hey-api's fetch client.
 *
 * @example
 * ```ts
 * import { authenticateToken, createClient } from "@ipos/auth-client/sdk"
 * const client = createClient({ baseUrl: "https://auth.ipospays.tech" })
 * const { data } = await authenticateToken({ client, headers: { apiKey, secretKey, scope: "Recurring" } })
 * ```
 *
 * @module
 */

import {
  type Client,
  type Config,
  createClient as createGeneratedClient,
  createConfig as createGeneratedConfig
} from "./generated/sdk/client/index.js"
import { client as generatedClient } from "./generated/sdk/client.gen.js"

// The generated runtime has no doc comments; the SDK's public names are re-declared here with
// theirs, so the API reference documents them. They are the generated values, unchanged.

/**
 * Creates a fetch client for the SDK functions: pass it as `client` to call another base URL, or
 * with your own `fetch`, headers or interceptors.
 *
 * @example
 * ```ts
 * import { createClient, refreshToken } from "@ipos/auth-client/sdk"
 * const client = createClient({ baseUrl: "https://auth.ipospays.com" })
 * const { data, error } = await refreshToken({ client, headers: { token, refreshToken: true } })
 * ```
 */
export const createClient: (config?: Config) => Client = createGeneratedClient

/**
 * The default configuration of a client (JSON bodies and responses), with `override` on top.
 *
 * @example
 * ```ts
 * import { createClient, createConfig } from "@ipos/auth-client/sdk"
 * const client = createClient(createConfig({ baseUrl: "https://auth.ipospays.tech" }))
 * ```
 */
export const createConfig = createGeneratedConfig

/**
 * The client SDK functions use when no `client` is passed: the spec's first server,
 * `https://auth.ipospays.tech` (change it with `client.setConfig({ baseUrl })`).
 *
 * @example
 * ```ts
 * import { authenticateToken, client } from "@ipos/auth-client/sdk"
 * client.setConfig({ baseUrl: "http://127.0.0.1:4010" })
 * const { data } = await authenticateToken({ headers: { apiKey, secretKey, scope: "Recurring" } })
 * ```
 */
export const client: Client = generatedClient

export * from "./generated/sdk/index.js"
