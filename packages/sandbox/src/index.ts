/**
 * `@ipos/auth-sandbox`: a faithful local twin of the iPOSpays Authentication Token API — real
 * RS256 tokens, every documented `AUTH_ERR`, fault injection, a downstream echo API, CORS and
 * counters — for offline development, CI and the browser demo.
 */
export { type AuthErrorBody, type AuthErrorCode, authErrorMessages } from "./AuthErrors.js"
export { type AllowedList, isLoopbackHost } from "./ControlAccess.js"
export { type CorsOrigin, corsAllowedHeaders, corsExposedHeaders } from "./Cors.js"
export { type CountersSnapshot, type Endpoint, endpoints } from "./Counters.js"
export {
  allowedScopes,
  type CredentialInput,
  type CredentialLevel,
  credentialLevels,
  demoCredentials,
  type SandboxCredential
} from "./Credentials.js"
export { sandboxEnv, sandboxOptionsFromEnv } from "./Env.js"
export {
  describeFaults,
  type FaultKind,
  type FaultsPatch,
  type FaultsSnapshot,
  type MalformedKind,
  undocumentedErrorMessage
} from "./Faults.js"
export type { Jwks, PublicJwk, TokenClaims } from "./Jwt.js"
export type { RequestLogEntry, SandboxOptions } from "./Options.js"
export type { EchoRefusal } from "./routes/echo.js"
export { type Sandbox, startSandbox } from "./Sandbox.js"
export { SandboxConfigError } from "./SandboxConfigError.js"
export {
  requestLogLine,
  type SandboxLog,
  type SandboxLogFormat,
  sandboxLogLine
} from "./SandboxLog.js"
export { type InternalScopeName, internalScopeNames, type Scope, scopes } from "./Scopes.js"
