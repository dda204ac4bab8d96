/**
 * Relative times for the event timeline ("just now", "12 s ago", "3 min ago", "in 8 s"), in whole
 * units so that the text changes at most once a second.
 */

/**
 * Describes `at` relative to `now` (both epoch ms).
 *
 * @example
 * ```ts
 * relativeTime(1_000, 13_400)  // "12 s ago"
 * relativeTime(20_000, 12_000) // "in 8 s"
 * ```
 */
export const relativeTime = (at: number, now: number): string => {
  const seconds = Math.round((now - at) / 1000)
  const size = Math.abs(seconds)
  if (size < 1) return "just now"
  const amount = size < 60 ? `${size} s` : size < 3600 ? `${Math.floor(size / 60)} min` : `${Math.floor(size / 3600)} h`
  return seconds > 0 ? `${amount} ago` : `in ${amount}`
}

/**
 * A duration as `m:ss` (or `h:mm:ss`), for the countdown.
 *
 * @example
 * ```ts
 * clockDuration(65_400)    // "1:05"
 * clockDuration(3_725_000) // "1:02:05"
 * clockDuration(-5)        // "0:00"
 * ```
 */
export const clockDuration = (ms: number): string => {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, "0")
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`
}
