/**
 * ISO-8601 text for epoch milliseconds that came from a server or a token: a claim such as `exp`
 * can hold any number (microseconds instead of seconds, say), and `Date` covers only ±8.64e15 ms,
 * beyond which `toISOString()` throws. Plain code: `decode` loads it without the core.
 */

/**
 * The ISO-8601 form of `ms`, or `null` when it is missing or not a time `Date` can hold.
 *
 * @example
 * ```ts
 * isoTime(1_744_894_102_000)         // "2025-04-17T12:48:22.000Z"
 * isoTime(1_744_894_102_000_000_000) // null: an exp in microseconds, read as seconds
 * isoTime(undefined)                 // null
 * ```
 */
export const isoTime = (ms: number | undefined): string | null => {
  if (ms === undefined) return null
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
