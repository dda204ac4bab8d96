/**
 * Where the sandbox is: the page's `?sandbox=` query parameter, else the URL the dev server was
 * started with (`pnpm demo` sets `VITE_SANDBOX_URL`), else nothing (the field asks for it). Only
 * http(s) origins are accepted, so a query parameter cannot point the page at a `javascript:` URL.
 */

/**
 * The origin of an http(s) URL, or `undefined` for anything else.
 *
 * @example
 * ```ts
 * sandboxOrigin("http://127.0.0.1:4010/") // "http://127.0.0.1:4010"
 * sandboxOrigin("javascript:alert(1)")   // undefined
 * ```
 */
export const sandboxOrigin = (value: string | null | undefined): string | undefined => {
  if (value === null || value === undefined || value.trim() === "") return undefined
  try {
    const url = new URL(value.trim())
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined
  } catch {
    return undefined
  }
}

/**
 * The sandbox URL to start with.
 *
 * @example
 * ```ts
 * initialSandboxUrl("?sandbox=http://127.0.0.1:4010", undefined) // "http://127.0.0.1:4010"
 * initialSandboxUrl("", "http://127.0.0.1:5000")                 // "http://127.0.0.1:5000"
 * ```
 */
export const initialSandboxUrl = (search: string, devDefault: string | undefined): string =>
  sandboxOrigin(new URLSearchParams(search).get("sandbox")) ?? sandboxOrigin(devDefault) ?? ""

/**
 * Whether an origin is on this machine (`127.0.0.0/8`, `localhost`, `[::1]`). The page warns when
 * the keys in its fields would go anywhere else (a `?sandbox=` link can name any origin).
 *
 * @example
 * ```ts
 * isLoopback("http://127.0.0.1:4010")   // true
 * isLoopback("https://sandbox.example") // false
 * ```
 */
export const isLoopback = (origin: string): boolean => {
  const host = new URL(origin).hostname
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
