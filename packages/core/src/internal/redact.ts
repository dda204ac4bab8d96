/**
 * Text hygiene for anything that leaves the core (error messages, excerpts, events): secrets are
 * replaced, compact JWTs are masked, control characters and line breaks are collapsed, and the
 * result is cut to a short length.
 *
 * @internal
 */

/** What replaces a known secret. */
export const REDACTED = "<redacted>"

// Anchored at the start of a run of token characters (start of text or a non-token character,
// kept by `$1`): a long run without dots is scanned once, not once per position (quadratic).
const JWT_LIKE = /(^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: collapsing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

/** Decodes HTML character references, so that a secret echoed inside an HTML page is found. */
const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,5});/gi, (match, ref: string) => {
    const lower = ref.toLowerCase()
    if (lower.startsWith("#x")) return safeCodePoint(Number.parseInt(lower.slice(2), 16), match)
    if (lower.startsWith("#")) return safeCodePoint(Number.parseInt(lower.slice(1), 10), match)
    return NAMED[lower] ?? match
  })

const safeCodePoint = (code: number, fallback: string): string =>
  Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback

/** The forms a secret takes when echoed: raw, URI-encoded, JSON-escaped. */
const variants = (secret: string): ReadonlyArray<string> =>
  [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])].sort(
    (a, b) => b.length - a.length
  )

/**
 * Replaces every occurrence of each secret (raw, URI-encoded or JSON-escaped, after decoding HTML
 * character references) by `<redacted>`, masks JWTs, turns control characters into spaces,
 * collapses whitespace and cuts the text to `max` characters. Secrets are replaced before cutting,
 * so no prefix of one survives.
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>, max: number): string => {
  let out = decodeEntities(text)
  for (const secret of secrets) {
    if (secret.length === 0) continue
    for (const form of variants(secret)) out = out.split(form).join(REDACTED)
  }
  out = out.replace(JWT_LIKE, "$1<jwt>").replace(CONTROL, " ").replace(/\s+/g, " ").trim()
  return out.length > max ? `${out.slice(0, Math.max(0, max - 1))}…` : out
}

/**
 * A short, non-reversible identifier of a string (FNV-1a, 32 bits, hex). Used to tell credential
 * sets apart in events and status without carrying the key itself.
 */
export const shortHash = (text: string): string => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, "0")
}
