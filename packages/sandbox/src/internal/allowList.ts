/** A list of allowed values from an option or a variable: `"*"` for any, or exact values, each checked and normalised. */
import { SandboxConfigError } from "../SandboxConfigError.js"
import { got as gotPlain } from "./got.js"

/** Any value, or these exact (normalised) values. */
export interface AllowList {
  readonly any: boolean
  readonly values: ReadonlySet<string>
}

/**
 * Parses `option` (one value or several). `normalise` answers the canonical form of a valid entry,
 * or `undefined`; a bad entry throws `SandboxConfigError` naming `name`, the expected `shape` and
 * the entry.
 *
 * @example
 * ```ts
 * allowList("allowedHosts", ["Sandbox"], (v) => v.toLowerCase(), "host names").values // Set { "sandbox" }
 * ```
 */
export const allowList = (
  name: string,
  option: string | ReadonlyArray<string>,
  normalise: (entry: string) => string | undefined,
  shape: string,
  got: (value: string) => string = gotPlain
): AllowList => {
  const entries = typeof option === "string" ? [option] : option
  if (entries.includes("*")) return { any: true, values: new Set() }
  const values = new Set<string>()
  for (const entry of entries) {
    const value = typeof entry === "string" ? normalise(entry) : undefined
    if (value === undefined) throw new SandboxConfigError(`${name} must be "*" or ${shape}${got(entry)}`)
    values.add(value)
  }
  return { any: false, values }
}

const parse = (text: string): URL | undefined => {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/**
 * The origin a browser would send for `value` (`http://localhost:5173/` gives `http://localhost:5173`),
 * or `undefined` for anything that is not an http(s) origin (a path, `null`, another scheme).
 *
 * @example
 * ```ts
 * originOf("HTTP://LOCALHOST:5173/") // "http://localhost:5173"
 * ```
 */
export const originOf = (value: string): string | undefined => {
  const url = parse(value)
  if (url === undefined || !["http:", "https:"].includes(url.protocol)) return undefined
  if (url.username !== "" || url.password !== "" || !["/", ""].includes(url.pathname) || url.search || url.hash) {
    return undefined
  }
  return url.origin
}

/**
 * The host name of a `Host` header value or an allow-list entry, without its port, lower-cased,
 * IPv6 literals in brackets (`[::1]:8080` gives `[::1]`); `undefined` when it is not a bare host.
 *
 * @example
 * ```ts
 * hostnameOf("Sandbox.Internal:8080") // "sandbox.internal"
 * ```
 */
export const hostnameOf = (value: string): string | undefined => {
  if (value === "" || /[/?#@\\\s]/.test(value)) return undefined
  const url = parse(`http://${value}`)
  return url === undefined || url.hostname === "" ? undefined : url.hostname
}
