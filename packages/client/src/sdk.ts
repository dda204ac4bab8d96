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

export { createClient, createConfig } from "./generated/sdk/client/index.js"
export { client } from "./generated/sdk/client.gen.js"
export * from "./generated/sdk/index.js"
