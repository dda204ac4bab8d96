/**
 * What the token card shows of a held token: the decoded header and claims (the claim scope is
 * iPOSpays' internal name, e.g. `paymentTokenize`), the times, and the shortened token. The whole
 * token never leaves this module's input.
 */
import { type DecodedJwt, readJwt, type TokenInfo } from "@ipos/auth-core"
import type { TokenTimes } from "./countdown.js"
import { shortToken } from "./tokenDisplay.js"

/** The card's content for one token. */
export interface TokenView {
  readonly short: string
  readonly fingerprint: string
  readonly via: string
  readonly header: ReadonlyArray<readonly [string, string]>
  readonly claims: ReadonlyArray<readonly [string, string]>
  readonly uniqueId: string | undefined
  readonly issuedAt: number
  readonly expiresAt: number
  readonly refreshAt: number
}

/**
 * A wall-clock time as `HH:MM:SS`.
 *
 * @example
 * ```ts
 * clockTime(Date.UTC(2026, 0, 1, 9, 5, 7), "UTC") // "09:05:07"
 * ```
 */
export const clockTime = (ms: number, timeZone?: string): string =>
  new Date(ms).toLocaleTimeString("en-GB", { hour12: false, ...(timeZone === undefined ? {} : { timeZone }) })

const show = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value))

const seconds = (value: unknown): string =>
  typeof value === "number" && Number.isFinite(value) ? `${value} (${clockTime(value * 1000)})` : show(value)

const claimRows = (decoded: DecodedJwt): ReadonlyArray<readonly [string, string]> =>
  Object.entries(decoded.claims).map(([name, value]) => [
    name,
    name === "iat" || name === "exp" ? seconds(value) : show(value)
  ])

/**
 * The card's content, from the manager's `TokenInfo`.
 *
 * @example
 * ```ts
 * const view = tokenView(await manager.getTokenInfo())
 * view.claims.find(([name]) => name === "scope") // ["scope", "paymentTokenize"]
 * ```
 */
export const tokenView = (info: TokenInfo): TokenView => {
  const read = readJwt(info.token)
  const decoded = "problem" in read ? undefined : read
  return {
    short: shortToken(info.token, info.fingerprint),
    fingerprint: info.fingerprint,
    via: info.via === "refresh" ? "refreshed" : "authenticated",
    header: decoded === undefined ? [] : Object.entries(decoded.header).map(([k, v]) => [k, show(v)]),
    claims: decoded === undefined ? [] : claimRows(decoded),
    uniqueId: typeof decoded?.claims.uniqueId === "string" ? decoded.claims.uniqueId : undefined,
    issuedAt: info.expiresAt - info.lifetimeMs,
    expiresAt: info.expiresAt,
    refreshAt: info.refreshAt
  }
}

/**
 * The countdown's times for a view, with the manager's last hand-out moment.
 *
 * @example
 * ```ts
 * barTimes(view, status.usableUntil)
 * ```
 */
export const barTimes = (view: TokenView, usableUntil: number | undefined): TokenTimes => ({
  issuedAt: view.issuedAt,
  expiresAt: view.expiresAt,
  refreshAt: view.refreshAt,
  usableUntil: usableUntil ?? view.expiresAt
})
