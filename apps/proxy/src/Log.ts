/**
 * The proxy's log lines: one per state change (and one per answered request with the access log),
 * as text for people or as JSON for machines (`--log-format json`). Both carry an ISO timestamp
 * and a level. Nothing logged holds a token or a key: callers pass scopes, fingerprints,
 * credential ids and failure codes only.
 *
 * @since 0.2.0
 */

/**
 * `text` (default) or `json` (one object per line).
 *
 * @since 0.2.0
 * @category models
 */
export type LogFormat = "text" | "json"

/**
 * The formats, for parsing.
 *
 * @since 0.2.0
 * @category models
 */
export const logFormats: ReadonlyArray<LogFormat> = ["text", "json"]

/**
 * Severity of a line.
 *
 * @since 0.2.0
 * @category models
 */
export type LogLevel = "info" | "warn" | "error"

/**
 * What happened, for machines: `event` names it, the other fields describe it.
 *
 * | event | level |
 * |---|---|
 * | `token_acquired`, `token_refreshed`, `token_recovered`, `credentials_rotated`, `listening`, `draining`, `stopped` | info |
 * | `token_refresh_failed`, `token_degraded`, `credentials_refused` | warn |
 * | `token_unavailable` | error |
 * | `access` | info |
 *
 * @example
 * ```ts
 * import type { LogEntry } from "@ipos/auth-proxy"
 * const entry: LogEntry = { level: "info", event: "token_acquired", fields: { scope: "Recurring" } }
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface LogEntry {
  readonly level: LogLevel
  readonly event: string
  readonly fields?: Readonly<Record<string, string | number | boolean | undefined>>
}

/**
 * Receives a human message and, for state changes, its structured entry.
 *
 * @since 0.2.0
 * @category models
 */
export type LogSink = (message: string, entry?: LogEntry) => void

/**
 * One line (without the newline) in `format`.
 *
 * @example
 * ```ts
 * import { formatLine } from "@ipos/auth-proxy"
 * formatLine("json", "listening on http://127.0.0.1:8787", { level: "info", event: "listening" }, new Date(0))
 * // '{"ts":"1970-01-01T00:00:00.000Z","level":"info","event":"listening","msg":"listening on http://127.0.0.1:8787"}'
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const formatLine = (
  format: LogFormat,
  message: string,
  entry: LogEntry = { level: "info", event: "message" },
  at: Date = new Date()
): string => {
  const ts = at.toISOString()
  if (format === "text") return `${ts} ${entry.level.toUpperCase()} ipos-auth-proxy: ${message}`
  const fields = Object.fromEntries(Object.entries(entry.fields ?? {}).filter(([, v]) => v !== undefined))
  return JSON.stringify({ ts, level: entry.level, event: entry.event, msg: message, ...fields })
}
