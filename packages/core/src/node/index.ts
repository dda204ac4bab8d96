/**
 * `@ipos/auth-core/node`: Node-only pieces, kept out of the main entry (which runs in browsers).
 *
 * - {@link nodeTransport}: the auth API's `Transport` over `node:http`/`node:https`, without the
 *   start-up cost of Node 20's undici (`fetch`, `Request`, `Headers`, `Response`).
 * - {@link nodeTransport}: a minimal `fetch` on the same exchange, for code that wants `fetch`.
 * - {@link authApiLayer}, {@link authApiLayerConfig}, {@link tokenManagerLayerConfig} and
 *   {@link createNodeTokenManager}: the usual constructors over `nodeTransport`.
 *
 * @since 0.1.0
 */
import type * as Layer from "effect/Layer"
import { AuthApi, type AuthApiOptions } from "../AuthApi.js"
import { type CreateTokenManagerOptions, createTokenManager } from "../createTokenManager.js"
import { TokenManager } from "../TokenManager.js"
import type { ValidationError } from "../ValidationError.js"
import { nodeTransport } from "./nodeTransport.js"

export { nodeFetch } from "./nodeFetch.js"
export { nodeTransport } from "./nodeTransport.js"

/**
 * `AuthApi.layer` over {@link nodeTransport}.
 *
 * @example
 * ```ts
 * import { authApiLayer } from "@ipos/auth-core/node"
 * const ApiLive = authApiLayer({ credentials: { apiKey, secretKey }, env: "sandbox" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const authApiLayer = (
  options: Omit<AuthApiOptions, "fetch" | "transport"> = {}
): Layer.Layer<AuthApi, ValidationError> => AuthApi.layer({ ...options, transport: nodeTransport })

/**
 * `AuthApi.layerConfig` (the `IPOS_*` environment) over {@link nodeTransport}.
 *
 * @example
 * ```ts
 * import { authApiLayerConfig } from "@ipos/auth-core/node"
 * const ApiLive = authApiLayerConfig({ overrides: { scope: "Recurring" } })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const authApiLayerConfig = (
  options: Omit<Parameters<typeof AuthApi.layerConfig>[0] & object, "fetch"> = {}
): Layer.Layer<AuthApi, ValidationError> => AuthApi.layerConfig({ ...options, transport: nodeTransport })

/**
 * `TokenManager.layerConfig` (the `IPOS_*` environment) over {@link nodeTransport}.
 *
 * @example
 * ```ts
 * import { tokenManagerLayerConfig } from "@ipos/auth-core/node"
 * const Live = tokenManagerLayerConfig({ keepFresh: true })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const tokenManagerLayerConfig = (
  options: Parameters<typeof TokenManager.layerConfig>[0] & object = {}
): Layer.Layer<TokenManager | AuthApi, ValidationError> =>
  TokenManager.layerConfig({ ...options, api: { ...options.api, transport: nodeTransport } })

/**
 * `createTokenManager` over {@link nodeTransport}.
 *
 * @example
 * ```ts
 * import { createNodeTokenManager } from "@ipos/auth-core/node"
 * const tokens = createNodeTokenManager({ fromEnv: process.env })
 * console.log(await tokens.getToken())
 * await tokens.close()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const createNodeTokenManager = (
  options: Omit<CreateTokenManagerOptions, "fetch" | "transport"> = {}
): ReturnType<typeof createTokenManager> => createTokenManager({ ...options, transport: nodeTransport })
