/// <reference types="node" />
/**
 * `nodeTransport`: the auth API's {@link Transport} over `node:http` / `node:https`. It builds no
 * `Request`, `Headers` or `Response`, so a process that uses it never loads Node 20's undici —
 * which is most of the start-up time of a one-shot CLI.
 *
 * @since 0.1.0
 */
import type { Transport } from "../Transport.js"
import { exchange } from "./exchange.js"

const header = (raw: ReadonlyArray<string>, name: string): string | null => {
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]?.toLowerCase() === name) return raw[i + 1] ?? null
  return null
}

/**
 * A {@link Transport} over `node:http` / `node:https`.
 *
 * @example
 * ```ts
 * import { makeAuthApi } from "@ipos/auth-core"
 * import { nodeTransport } from "@ipos/auth-core/node"
 * const api = makeAuthApi({ transport: nodeTransport, credentials: { apiKey, secretKey } })
 * ```
 *
 * @since 0.1.0
 * @category transport
 */
export const nodeTransport: Transport = ({ url, headers, signal }) =>
  exchange({ url: new URL(url), method: "POST", headers: { ...headers }, body: undefined, signal }).then((res) => ({
    status: res.status,
    body: res.body.toString("utf8"),
    date: header(res.rawHeaders, "date"),
    retryAfter: header(res.rawHeaders, "retry-after")
  }))
