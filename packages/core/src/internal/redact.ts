/**
 * Text hygiene for anything that leaves the core (error messages, excerpts, events): secrets are
 * replaced, compact JWTs are masked, control characters and line breaks are collapsed, and the
 * result is cut to a short length.
 *
 * @internal
 */

/** What replaces a known secret. */
export const REDACTED = "<redacted>"

const JWT_LIKE = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: collapsing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g

/**
 * Replaces every occurrence of each secret (and its URI-encoded form) by `<redacted>`, masks JWTs,
 * turns control characters into spaces, collapses whitespace and cuts the text to `max` characters.
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>, max: number): string => {
  let out = text
  for (const secret of secrets) {
    if (secret.length === 0) continue
    out = out.split(secret).join(REDACTED)
    const encoded = encodeURIComponent(secret)
    if (encoded !== secret) out = out.split(encoded).join(REDACTED)
  }
  out = out.replace(JWT_LIKE, "<jwt>").replace(CONTROL, " ").replace(/\s+/g, " ").trim()
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
