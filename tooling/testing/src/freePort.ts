/** Finds a free TCP port on 127.0.0.1 for a test server. */
import { createServer } from "node:net"

/**
 * Asks the kernel for an ephemeral port on 127.0.0.1 and releases it. Another process may take it
 * before the caller binds, so callers that spawn servers retry on "address in use".
 *
 * @example
 * ```ts
 * const port = await freePort()
 * ```
 */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))))
    })
  })
