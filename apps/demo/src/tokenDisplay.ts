/**
 * How a token appears on the page: never whole. The first characters (the encoded header, the
 * same for every iPOSpays token) and the core's fingerprint (`…` + last 6 characters of the
 * signature) are enough to tell tokens apart without exposing one.
 */

/** How many leading characters of a token are shown. */
export const shownPrefixLength = 12

/**
 * The shortened form of a token.
 *
 * @example
 * ```ts
 * shortToken("eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6InBheW1lbnRUb2tlbml6ZSJ9.c2lnbmF0dXJl", "…dXJl")
 * // "eyJhbGciOiJS…dXJl"
 * ```
 */
export const shortToken = (token: string, fingerprint: string): string =>
  `${token.slice(0, shownPrefixLength)}${fingerprint.startsWith("…") ? "" : "…"}${fingerprint}`
