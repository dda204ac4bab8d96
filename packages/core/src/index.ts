/**
 * `@ipos/auth-core`: the Effect token lifecycle of the iPOSpays Authentication Token API — typed
 * failures, retries, refresh-ahead, single flight, `Redacted` secrets, and a Promise facade.
 *
 * - {@link AuthApi}: `authenticate` / `refresh` as an Effect service over `@ipos/auth-client`.
 * - {@link TokenManager}: a valid token for any caller, at any moment, with the fewest calls.
 * - {@link createTokenManager}: the same behind Promises, for code without Effect.
 * - Failures: one class per `AUTH_ERR`, transport and validation errors, {@link failureKind}.
 * - {@link decodeJwt} (also standalone as `@ipos/auth-core/Jwt`), and {@link readJwt}, the same
 *   without Effect (`@ipos/auth-core/JwtReader`).
 *
 * This entry has no `node:` import and runs in browsers; `@ipos/auth-core/node` adds `nodeFetch`.
 *
 * @since 0.1.0
 */
export {
  AuthApi,
  type AuthApiOptions,
  type AuthApiShape,
  type AuthenticateRequest,
  type Fetch,
  type IssuedToken,
  makeAuthApi,
  maxTokenLifetimeMs,
  type RefreshOptions
} from "./AuthApi.js"
export {
  ApiKeyRequired,
  type AuthRejection,
  authErrorHints,
  authErrorTags,
  type DocumentedAuthErrorCode,
  type DocumentedRejection,
  ExpiryTooLong,
  ExpiryTooShort,
  hintFor,
  InvalidCredentials,
  InvalidScope,
  InvalidSignature,
  InvalidToken,
  isAuthRejection,
  isTokenRefused,
  makeRejection,
  RefreshFlagRequired,
  type RejectionFields,
  ScopeRequired,
  SecretKeyRequired,
  TokenNotRefreshable,
  type TokenRefused,
  UnknownAuthError
} from "./AuthError.js"
export {
  type ClockOffset,
  type ClockSample,
  estimateOffset,
  noOffset,
  parseHttpDate,
  sampleResolutionMs
} from "./ClockSkew.js"
export {
  type AuthConfig,
  type AuthConfigInput,
  authConfigVariables,
  envNames,
  loadAuthConfig,
  makeAuthConfig,
  requireCredentials
} from "./Config.js"
export {
  bothSet,
  credentialFileNames,
  type ReadTextFile,
  readSecretFile,
  resolveCredentialFiles
} from "./CredentialFiles.js"
export { type Credentials, type CredentialsInput, credentialsId, makeCredentials } from "./Credentials.js"
export {
  type CreateTokenManagerOptions,
  createTokenManager,
  type PromiseTokenManager,
  type TokenInfo
} from "./createTokenManager.js"
export {
  type AuthFailure,
  exitCodeOf,
  exitCodes,
  type FailureKind,
  type FailureSummary,
  failureKind,
  isAuthFailure,
  summarize
} from "./Failure.js"
// `scopes` and `environments` come from a module without Schema: importing them must not pull it in.
export { environments, scopes } from "./internal/wire.js"
export {
  type DecodedJwt,
  decodeJwt,
  fingerprint,
  isExpired,
  type JwtClaims,
  JwtDecodeError,
  type JwtHeader
} from "./Jwt.js"
export { type JwtProblem, readJwt } from "./JwtReader.js"
export { ManagerClosed } from "./ManagerClosed.js"
export * as Metrics from "./Metrics.js"
export {
  backgroundRetryDelay,
  defaultRefreshPolicy,
  planRefresh,
  type RefreshPlan,
  type RefreshPolicy,
  validateRefreshPolicy
} from "./RefreshWindow.js"
export {
  defaultRetryPolicy,
  noRetry,
  type RetryableFailure,
  type RetryPolicy,
  retryDelay,
  validateRetryPolicy,
  withRetry
} from "./Retry.js"
export {
  type CredentialSet,
  type CredentialsProvider,
  createRotatingTokenManager,
  type RotatingTokenManager,
  type RotatingTokenManagerOptions,
  type RotationEvent,
  type RotationOutcome
} from "./RotatingTokenManager.js"
export { AuthErrorBody, Environment, JwtString, Scope, type SpecConformance, TokenResponse } from "./Schemas.js"
export {
  type AcquisitionFailed,
  type Degraded,
  type EventBase,
  type Evicted,
  type Expired,
  formatEvent,
  type Invalidated,
  type Recovered,
  type RefreshFailed,
  type StoreDegraded,
  type StoreRecovered,
  type TokenArrived,
  type TokenEvent
} from "./TokenEvents.js"
export {
  type ManagedToken,
  makeTokenManager,
  TokenManager,
  type TokenManagerOptions,
  type TokenManagerShape,
  type TokenRequest,
  type TokenState,
  type TokenStatus
} from "./TokenManager.js"
export {
  memoryTokenStore,
  type SharedToken,
  type StoreOutcome,
  TokenStore,
  type TokenStoreShape
} from "./TokenStore.js"
export {
  isResponseBodyTooLarge,
  maxResponseBodyBytes,
  ResponseBodyTooLarge,
  type Transport,
  type TransportRequest,
  type TransportResponse
} from "./Transport.js"
export {
  type CallContext,
  isTransportError,
  MalformedResponse,
  type Operation,
  RateLimited,
  Timeout,
  type TransportError,
  Unavailable,
  withCallContext
} from "./TransportError.js"
export {
  expiryMinutesRange,
  ValidationError,
  type ValidationField,
  validateBaseUrl,
  validateCredential,
  validateEnvironment,
  validateExpiryMinutes,
  validateScope,
  validateToken
} from "./ValidationError.js"
