/**
 * Typed clients of the iPOSpays Authentication Token API, generated from `@ipos/auth-spec`.
 *
 * - {@link createAuthClient}: an `openapi-fetch` client typed by the spec's `paths`.
 * - `@ipos/auth-client/sdk`: the `@hey-api/openapi-ts` SDK (`authenticateToken`, `refreshToken`).
 *
 * @module
 */
export {
  type AuthClient,
  type AuthClientOptions,
  createAuthClient,
  type Environment,
  servers
} from "./createAuthClient.js"
export type { components, operations, paths } from "./generated/paths.gen.js"
export type {
  AuthError,
  AuthenticateTokenData,
  AuthenticateTokenResponses,
  Jwt,
  RefreshTokenData,
  RefreshTokenResponses,
  Scope,
  TokenOrError,
  TokenResponse
} from "./generated/sdk/types.gen.js"
