/** The URL a local client should use for a sandbox bound to some host and port. */

/**
 * `http://host:port`, with IPv6 literals in brackets; a wildcard bind (`0.0.0.0`, `::`) is
 * reported as loopback, because that is where a client on the same machine reaches it.
 */
export const baseUrl = (host: string, port: number): string => {
  if (host === "0.0.0.0") return `http://127.0.0.1:${port}`
  if (host === "::") return `http://[::1]:${port}`
  return host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`
}
