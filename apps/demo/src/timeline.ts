/**
 * The event timeline: each lifecycle event of the manager as a title, a detail line and a tone.
 * Details name tokens only by fingerprint.
 */
import type { TokenEvent } from "@ipos/auth-core"
import { clockDuration } from "./relativeTime.js"

/** How an entry is coloured. */
type Tone = "good" | "info" | "warn" | "bad"

/** One line of the timeline. */
export interface TimelineEntry {
  readonly at: number
  readonly title: string
  readonly detail: string
  readonly tone: Tone
}

/**
 * The timeline entry of an event.
 *
 * @example
 * ```ts
 * describeEvent({ _tag: "Invalidated", scope: "PaymentTokenization", credentialsId: "ab12", at: 5, fingerprint: "…a1b2c3" })
 * // { at: 5, title: "Invalidated", detail: "…a1b2c3 dropped (refused downstream)", tone: "warn" }
 * ```
 */
export const describeEvent = (event: TokenEvent): TimelineEntry => {
  const entry = (title: string, detail: string, tone: Tone): TimelineEntry => ({ at: event.at, title, detail, tone })
  switch (event._tag) {
    case "Minted":
    case "Refreshed":
      return entry(
        event._tag === "Minted" ? "Acquired" : "Refreshed",
        `${event.fingerprint} · lives ${clockDuration(event.lifetimeMs)} · took ${Math.round(event.durationMs)} ms`,
        "good"
      )
    case "RefreshFailed":
      return entry(
        "Refresh failed",
        `${event.error.code ?? event.error._tag} (${event.consecutiveFailures} in a row) · still serving the held token`,
        "warn"
      )
    case "AcquisitionFailed":
      return entry("Acquisition failed", event.error.message, "bad")
    case "Expired":
      return entry("Expired", `${event.fingerprint} reached its safety margin`, "bad")
    case "Invalidated":
      return entry("Invalidated", `${event.fingerprint} dropped (refused downstream)`, "warn")
    case "Degraded":
      return entry("Degraded", "refreshes fail; the held token is served until it expires", "bad")
    case "Recovered":
      return entry("Recovered", `${event.fingerprint} · refreshes work again`, "good")
    case "Evicted":
      return entry("Evicted", `${event.fingerprint ?? "no token"} dropped (${event.reason})`, "info")
    case "StoreDegraded":
      return entry("Shared store unreachable", `${event.reason} · acquiring in this page alone`, "warn")
    case "StoreRecovered":
      return entry("Shared store back", "tokens are shared again", "good")
  }
}
