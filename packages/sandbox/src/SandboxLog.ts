/**
 * The sandbox's log lines, as text or as one JSON object per line (`IPOS_SANDBOX_LOG_FORMAT` /
 * `IPOS_LOG_FORMAT`, or the `log` option): one line when it listens, per answered request, on a
 * reset and when it stops. Each carries an ISO timestamp and a level; a request line carries the
 * method, the path without its query, the status, the `AUTH_ERR` code and the fault, never a header
 * value, a body, a key or a token.
 *
 * @since 0.2.0
 */
import type { RequestLogEntry } from "./Options.js"

/**
 * `text` or `json`.
 *
 * @since 0.2.0
 * @category models
 */
export type SandboxLogFormat = "text" | "json"

/**
 * Where the sandbox logs and in which format.
 *
 * @example
 * ```ts
 * import { startSandbox } from "@ipos/auth-sandbox"
 * await startSandbox({ log: { format: "json", write: (line) => process.stderr.write(`${line}\n`) } })
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface SandboxLog {
  readonly format: SandboxLogFormat
  /** Receives each line, without its newline. */
  readonly write: (line: string) => void
}

/**
 * Extra fields of a line: JSON members, or `key=value` pairs in text.
 *
 * @inline
 */
type Fields = Readonly<Record<string, string | number | null>>

/**
 * One line (no newline) of `event`.
 *
 * @example
 * ```ts
 * import { sandboxLogLine } from "@ipos/auth-sandbox"
 * sandboxLogLine("json", "info", "listening", "listening on http://127.0.0.1:8080", { url: "http://127.0.0.1:8080" }, new Date(0))
 * // '{"ts":"1970-01-01T00:00:00.000Z","level":"info","event":"listening","msg":"listening on http://127.0.0.1:8080","url":"http://127.0.0.1:8080"}'
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const sandboxLogLine = (
  format: SandboxLogFormat,
  level: "info" | "warn",
  event: string,
  message: string,
  fields: Fields = {},
  at: Date = new Date()
): string =>
  format === "text"
    ? `${at.toISOString()} ${level.toUpperCase()} ipos-sandbox: ${message}`
    : JSON.stringify({ ts: at.toISOString(), level, event, msg: message, ...fields })

/**
 * The line of one answered request: `warn` for an `AUTH_ERR` answer or a fault, else `info`.
 *
 * @example
 * ```ts
 * import { requestLogLine } from "@ipos/auth-sandbox"
 * requestLogLine("text", entry) // "… INFO ipos-sandbox: POST /v1/authenticate-token 200 3ms"
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const requestLogLine = (format: SandboxLogFormat, entry: RequestLogEntry, at: Date = new Date()): string => {
  const detail = [entry.errorCode, entry.fault === null ? null : `fault=${entry.fault}`].filter((d) => d !== null)
  const message = [entry.method, entry.path, entry.status ?? "reset", ...detail, `${entry.durationMs}ms`].join(" ")
  return sandboxLogLine(
    format,
    entry.errorCode !== null || entry.fault !== null ? "warn" : "info",
    "request",
    message,
    { ...entry },
    at
  )
}
