/**
 * The header policy of the proxy, on raw header arrays (`req.rawHeaders` form: name, value, name,
 * value…) so the hot path never builds a header object: hop-by-hop headers and every header named
 * in `Connection` are dropped in both directions; toward the upstream the client's `Host` and
 * token header are dropped too (the proxy sets its own), and so are headers that carry iPOSpays
 * credentials.
 *
 * @since 0.1.0
 */

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy `Keep-Alive`, `Proxy-Connection`), lower
 * case. `Transfer-Encoding` is framing: Node re-frames each side itself.
 *
 * @example
 * ```ts
 * import { hopByHop } from "@ipos/auth-proxy"
 * hopByHop.has("te") // true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const hopByHop: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade"
])

/**
 * Request headers never passed upstream besides hop-by-hop ones: credentials (the proxy's own
 * travel in none) and `Expect` (the proxy answers `100-continue` itself).
 */
const requestOnly: ReadonlySet<string> = new Set(["apikey", "secretkey", "expect"])

const text = (v: string | Buffer): string => (typeof v === "string" ? v : v.toString("latin1"))

/**
 * The lengths of the names dropped by rule (hop-by-hop, credentials, `Expect`, `Host`): a name of
 * any other length (most of them) is kept without lower-casing it, unless it is the token header
 * or named in `Connection`.
 */
const droppedLengths = new Uint8Array(32)
for (const name of [...hopByHop, ...requestOnly, "host"]) droppedLengths[name.length] = 1
const mayBeDropped = (length: number, tokenHeader: string, named: Set<string> | undefined): boolean =>
  named !== undefined || length === tokenHeader.length || (length < 32 && droppedLengths[length] === 1)

/**
 * The names listed in `Connection` values, lower case (`undefined` when there is none: the common
 * case allocates nothing).
 *
 * @example
 * ```ts
 * import { connectionNamed } from "@ipos/auth-proxy"
 * connectionNamed(["Connection", "keep-alive, X-Trace"]) // Set { "keep-alive", "x-trace" }
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const connectionNamed = (raw: ReadonlyArray<string | Buffer>): Set<string> | undefined => {
  let named: Set<string> | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    if (name.length === 10 && text(name).toLowerCase() === "connection") {
      const value = text(raw[i + 1]!)
      // The usual values name nothing but hop-by-hop options: no set to build.
      const lower = value.toLowerCase()
      if (lower === "keep-alive" || lower === "close") continue
      named ??= new Set()
      for (const part of value.split(",")) {
        const token = part.trim().toLowerCase()
        if (token.length > 0) named.add(token)
      }
    }
  }
  return named
}

/**
 * What {@link requestHeaders} produced: the headers to send and whether the client sent its own
 * token header (which was dropped).
 *
 * @since 0.1.0
 * @category models
 */
export interface ForwardHeaders {
  readonly headers: Array<string>
  readonly clientToken: boolean
}

/**
 * The request headers to send upstream: the client's minus hop-by-hop, Connection-named, `Host`,
 * credential, `Expect` and token headers, then `Host: upstreamHost` and the token header (its value
 * last). Body framing is the upstream client's: it sends `Content-Length` or chunks itself.
 *
 * @example
 * ```ts
 * import { requestHeaders } from "@ipos/auth-proxy"
 * requestHeaders(["Host", "me", "token", "mine", "Accept", "*\/*"], "api:443", "token", "jwt")
 * // { headers: ["Accept", "*\/*", "host", "api:443", "token", "jwt"], clientToken: true }
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const requestHeaders = (
  raw: ReadonlyArray<string>,
  upstreamHost: string,
  tokenHeader: string,
  token: string
): ForwardHeaders => {
  const named = connectionNamed(raw)
  const out: Array<string> = []
  let clientToken = false
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    if (mayBeDropped(name.length, tokenHeader, named)) {
      const lower = name.toLowerCase()
      if (lower === tokenHeader) {
        clientToken = true
        continue
      }
      if (lower === "host" || hopByHop.has(lower) || requestOnly.has(lower) || named?.has(lower)) continue
    }
    out.push(name, raw[i + 1]!)
  }
  out.push("host", upstreamHost, tokenHeader, token)
  return { headers: out, clientToken }
}

/**
 * The response headers to send to the client: the upstream's (strings, or undici's latin1
 * buffers) minus hop-by-hop and Connection-named headers, and minus a header named like the token
 * header (lower case), so that a token the upstream echoes never reaches the client.
 *
 * @example
 * ```ts
 * import { responseHeaders } from "@ipos/auth-proxy"
 * responseHeaders(["Content-Type", "text/plain", "Connection", "close, X-Internal", "X-Internal", "1", "Token", "jwt"], "token")
 * // ["Content-Type", "text/plain"]
 * ```
 *
 * @since 0.1.0
 * @category utils
 */
export const responseHeaders = (raw: ReadonlyArray<string | Buffer>, tokenHeader = "token"): Array<string> => {
  const named = connectionNamed(raw)
  const out: Array<string> = []
  for (let i = 0; i < raw.length; i += 2) {
    const name = text(raw[i]!)
    if (mayBeDropped(name.length, tokenHeader, named)) {
      const lower = name.toLowerCase()
      if (lower === tokenHeader || hopByHop.has(lower) || named?.has(lower)) continue
    }
    out.push(name, text(raw[i + 1]!))
  }
  return out
}
