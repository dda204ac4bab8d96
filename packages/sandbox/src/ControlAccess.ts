/**
 * Who may use the control API (`/_sandbox/*`). It switches faults on, revokes tokens, resets the
 * sandbox and shows the counters, so a web page that its user merely visits must not reach it:
 * browsers send cross-site "simple" requests (a `POST` as `text/plain`, no preflight) and DNS
 * rebinding points a foreign name at 127.0.0.1. Three checks close both:
 *
 * - `Host` must be the sandbox's own: a loopback name, an IP address, the bound host, or an
 *   allowed host. A rebound page can only send its own (foreign) name.
 * - `Origin`, when a browser sends one, must be a loopback origin (any port) or an allowed origin.
 * - A `POST` must say `Content-Type: application/json`, which no simple request can.
 *
 * The service endpoints and the `/api` echo are not checked: like the real service they are meant to
 * be called from anywhere, CORS decides which pages may read their answers, and a page gains
 * nothing from them without credentials.
 */
import { isIPv4, isIPv6 } from "node:net"
import { type AllowList, allowList, hostnameOf, originOf } from "./internal/allowList.js"
import { quoted } from "./internal/got.js"
import { header, json, type Reply, type SandboxRequest } from "./internal/http.js"

/** Allowed `Host` names or `Origin`s: `"*"` for any, or exact values. */
export type AllowedList = string | ReadonlyArray<string>

/**
 * Whether a host name or address is loopback: `localhost`, a name under `.localhost`, 127.0.0.0/8
 * or `::1` (brackets optional). A wildcard bind (`0.0.0.0`, `::`) is not: it listens on every
 * interface.
 *
 * @example
 * ```ts
 * isLoopbackHost("127.0.0.1") // true
 * isLoopbackHost("0.0.0.0") // false
 * ```
 */
export const isLoopbackHost = (host: string): boolean => {
  const name = hostnameOf(isIPv6(host) ? `[${host}]` : host)
  if (name === undefined) return false
  const bare = name.replace(/^\[(.*)\]$/, "$1")
  return (
    name === "localhost" || name.endsWith(".localhost") || (isIPv4(bare) && bare.startsWith("127.")) || bare === "::1"
  )
}

const isIpAddress = (hostname: string): boolean => isIPv4(hostname) || isIPv6(hostname.replace(/^\[(.*)\]$/, "$1"))

/** The validated access rules of one sandbox. */
export interface ControlAccess {
  /** The bound host as a `Host` header would name it. */
  readonly boundHost: string | undefined
  readonly hosts: AllowList
  readonly origins: AllowList
}

// An entry names a host, on any port: a port in it would suggest the check looks at ports.
const hostEntry = (value: string): string | undefined =>
  value.replace(/^\[[^\]]*\]/, "").includes(":") ? undefined : hostnameOf(value)

const hostShape = "host names like sandbox.internal (no scheme, port or path)"
const originShape = "origins like http://localhost:5173"

/**
 * Validates the `allowedHosts` and `allowedOrigins` options (or the variables standing for them,
 * named by `names`); `got` shows a bad entry in the error.
 *
 * @example
 * ```ts
 * controlAccess("127.0.0.1", ["sandbox"], ["https://app.example"])
 * ```
 */
export const controlAccess = (
  boundHost: string,
  allowedHosts: AllowedList | undefined,
  allowedOrigins: AllowedList | undefined,
  names: { readonly hosts: string; readonly origins: string } = { hosts: "allowedHosts", origins: "allowedOrigins" },
  got?: (value: string) => string
): ControlAccess => ({
  boundHost: hostnameOf(isIPv6(boundHost) ? `[${boundHost}]` : boundHost),
  hosts: allowList(names.hosts, allowedHosts ?? [], hostEntry, hostShape, got),
  origins: allowList(names.origins, allowedOrigins ?? [], originOf, originShape, got)
})

const allowsHost = (access: ControlAccess, value: string | undefined): boolean => {
  // No Host at all is an HTTP/1.0 tool, never a browser.
  if (value === undefined) return true
  const name = hostnameOf(value)
  if (name === undefined) return false
  // An address cannot be rebound: a page showing it was served by this very address.
  return (
    isIpAddress(name) ||
    isLoopbackHost(name) ||
    name === access.boundHost ||
    access.hosts.any ||
    access.hosts.values.has(name)
  )
}

const allowsOrigin = (access: ControlAccess, value: string | undefined): boolean => {
  // Browsers send Origin with every cross-origin request; without one it is not a foreign page.
  if (value === undefined) return true
  const origin = originOf(value)
  if (origin === undefined) return access.origins.any
  return isLoopbackHost(new URL(origin).hostname) || access.origins.any || access.origins.values.has(origin)
}

const isJson = (value: string | undefined): boolean => value?.split(";")[0]?.trim().toLowerCase() === "application/json"

const refuse = (status: 403 | 415, refused: "Host" | "Origin" | "Content-Type", message: string): Reply =>
  json(status, { error: status === 403 ? "Forbidden" : "Unsupported Media Type", refused, message })

/**
 * The refusal of a control request that fails a check (`403` for `Host` or `Origin`, `415` for the
 * content type of a `POST`), naming what was refused; `undefined` when it may go on.
 *
 * @example
 * ```ts
 * controlRefusal(access, { method: "GET", path: "/_sandbox/counters", headers: { host: "attacker.example" }, body })
 * // 403 { error: "Forbidden", refused: "Host", message: "…" }
 * ```
 */
export const controlRefusal = (access: ControlAccess, request: SandboxRequest): Reply | undefined => {
  const host = header(request, "host")
  if (!allowsHost(access, host)) {
    return refuse(
      403,
      "Host",
      `the control API answers only requests addressed to the sandbox itself, and Host ${quoted(host ?? "")} is not a loopback name, an IP address, the bound host or an allowed host (option allowedHosts, IPOS_SANDBOX_ALLOWED_HOSTS, ipos-auth sandbox --allowed-hosts)`
    )
  }
  const origin = header(request, "origin")
  if (!allowsOrigin(access, origin)) {
    return refuse(
      403,
      "Origin",
      `the control API refuses pages from Origin ${quoted(origin ?? "")}: only loopback origins and allowed origins may use it (option allowedOrigins, IPOS_SANDBOX_ALLOWED_ORIGINS, ipos-auth sandbox --allowed-origins)`
    )
  }
  const type = header(request, "content-type")
  if (request.method === "POST" && !isJson(type)) {
    return refuse(
      415,
      "Content-Type",
      `control writes must be sent with Content-Type: application/json, also when the body is empty (got ${type === undefined ? "none" : quoted(type)})`
    )
  }
  return undefined
}
