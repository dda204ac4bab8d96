/**
 * `@ipos/auth-proxy`: the `ipos-auth-proxy` sidecar as a library — start it in-process, or reuse
 * its header policy and answers.
 *
 * @since 0.1.0
 */
export { makeAdmin, reservedPrefix } from "./Admin.js"
export { failClosedAnswer, rawRejection, rejectAnswer, sendJson, upstreamFailureAnswer } from "./Answers.js"
export { type Command, defaults, flags, helpText, type ProxyConfig, parseCommand, type UsageError } from "./Config.js"
export { type CredentialSource, credentialSource, type KeyPair } from "./CredentialFiles.js"
export { type AccessEntry, type ForwardContext, makeForwarder } from "./Forward.js"
export { connectionNamed, type ForwardHeaders, hopByHop, requestHeaders, responseHeaders } from "./HopByHop.js"
export { formatLine, type LogEntry, type LogFormat, type LogLevel, type LogSink, logFormats } from "./Log.js"
export { ProxyMetrics, type RejectReason, type UpstreamErrorClass } from "./Metrics.js"
export { makeTokens, type RunningProxy, type StartOptions, startProxy } from "./Proxy.js"
export { defaultMaxHeadBytes, InvalidResponse, type ResponseEvents, ResponseParser } from "./ResponseParser.js"
export { makeRouter, parseRoute, type Route } from "./Routes.js"
export {
  otlpRequested,
  otlpSupported,
  type RequestSpan,
  startTelemetry,
  type Telemetry,
  type TelemetryOptions,
  withCredentialsId
} from "./Telemetry.js"
export {
  isRotating,
  makeTokenSource,
  refusedGraceMs,
  type SourceState,
  type TokenMetadata,
  type TokenSource,
  type TokenSourceOptions
} from "./TokenSource.js"
export {
  ExchangeFailure,
  UpstreamCall,
  type UpstreamHandler,
  UpstreamPool,
  type UpstreamPoolOptions,
  type UpstreamRequest
} from "./Upstream.js"
