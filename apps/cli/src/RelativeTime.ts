/** Durations in words for people reading `ipos-auth decode`: "in 23 hours 59 minutes", "3 days ago". */

const units = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1]
] as const

/**
 * Describes `seconds` (positive: future) with its two largest non-zero units.
 *
 * @example
 * ```ts
 * relativeTime(86_340)  // "in 23 hours 59 minutes"
 * relativeTime(-90)     // "1 minute 30 seconds ago"
 * relativeTime(0)       // "now"
 * ```
 */
export const relativeTime = (seconds: number): string => {
  const total = Math.round(Math.abs(seconds))
  if (total === 0) return "now"
  const parts: Array<string> = []
  let rest = total
  for (const [name, size] of units) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0 && parts.length < 2) parts.push(`${count} ${name}${count === 1 ? "" : "s"}`)
    else if (parts.length > 0) break
  }
  const text = parts.join(" ")
  return seconds > 0 ? `in ${text}` : `${text} ago`
}
