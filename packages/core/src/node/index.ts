/**
 * `@ipos/auth-core/node`: Node-only pieces, kept out of the main entry (which runs in browsers).
 *
 * - {@link nodeFetch}: a minimal `fetch` over `node:http`/`node:https`, without the start-up cost
 *   of Node 20's undici `fetch`.
 * - {@link authApiLayer}, {@link authApiLayerConfig}, {@link tokenManagerLayerConfig} and
 *   {@link createNodeTokenManager}: the usual constructors with `nodeFetch` as transport.
 *
 * @since 0.1.0
 */
import type * as Layer from "effect/Layer"
import { AuthApi, type AuthApiOptions } from "../AuthApi.js"
import { type CreateTokenManagerOptions, createTokenManager, type PromiseTokenManager } from "../createTokenManager.js"
import { TokenManager } from "../TokenManager.js"
import type { ValidationError } from "../ValidationError.js"
import { nodeFetch } from "./nodeFetch.js"

export { nodeFetch } from "./nodeFetch.js"

/**
 * `AuthApi.layer` over {@link nodeFetch}.
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
export const authApiLayer = (options: Omit<AuthApiOptions, "fetch"> = {}): Layer.Layer<AuthApi, ValidationError> =>
  AuthApi.layer({ ...options, fetch: nodeFetch })

/**
 * `AuthApi.layerConfig` (the `IPOS_*` environment) over {@link nodeFetch}.
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
): Layer.Layer<AuthApi, ValidationError> => AuthApi.layerConfig({ ...options, fetch: nodeFetch })

/**
 * `TokenManager.layerConfig` (the `IPOS_*` environment) over {@link nodeFetch}.
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
  TokenManager.layerConfig({ ...options, api: { ...options.api, fetch: nodeFetch } })

/**
 * `createTokenManager` over {@link nodeFetch}.
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
export const createNodeTokenManager = (options: Omit<CreateTokenManagerOptions, "fetch"> = {}): PromiseTokenManager =>
  createTokenManager({ ...options, fetch: nodeFetch })
