/** How an error message shows what was typed: quoted and shortened, and never when it holds a key. */

const longest = 60

/**
 * ` (got "…")` for a message about a value that is not a secret; numbers are shown bare. A value
 * that contains one of `secrets` (keys of 4 characters or more) is not shown at all.
 *
 * @example
 * ```ts
 * `port must be an integer from 0 to 65535${got("x")}` // 'port must be an integer from 0 to 65535 (got "x")'
 * ```
 */
export const got = (value: unknown, secrets: ReadonlyArray<string> = []): string => {
  if (typeof value === "number") return ` (got ${value})`
  const text = typeof value === "string" ? value : String(value)
  if (secrets.some((secret) => secret.length >= 4 && text.includes(secret)))
    return " (got a value that holds a key: not shown)"
  return ` (got ${quoted(text)})`
}

/**
 * A value a client sent (a header), quoted and shortened for a message.
 *
 * @example
 * ```ts
 * quoted("text/plain") // '"text/plain"'
 * ```
 */
export const quoted = (text: string): string =>
  JSON.stringify(text.length > longest ? `${text.slice(0, longest)}…` : text)
