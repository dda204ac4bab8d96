/**
 * Two local HTTP servers on 127.0.0.1 (two origins): `first` answers every request with a redirect
 * to `second` (307 by default, which keeps the method and, when followed, the headers);
 * `second` records whatever reaches it and answers a valid token. A client that follows the
 * redirect hands `second` the keys (or the token), which the tests forbid.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { makeJwt } from "./FakeAuthServer.js"

export interface RedirectServers {
  /** Base URL of the server that redirects. */
  readonly first: string
  /** Base URL of the redirect target. */
  readonly second: string
  /** Requests that reached the first server. */
  readonly firstSeen: Array<IncomingHttpHeaders>
  /** Requests that reached the second server (must stay empty). */
  readonly secondSeen: Array<IncomingHttpHeaders>
  readonly close: () => Promise<void>
}

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  )

const stop = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/** Starts both servers; `status` is the redirect status of the first. */
export const redirectServers = async (status = 307): Promise<RedirectServers> => {
  const firstSeen: Array<IncomingHttpHeaders> = []
  const secondSeen: Array<IncomingHttpHeaders> = []
  const target = createServer((req, res) => {
    secondSeen.push(req.headers)
    const now = Math.floor(Date.now() / 1000)
    const token = makeJwt({ scope: "paymentTokenize", iat: now, exp: now + 3600 })
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify({ responseCode: "00", responseMessage: "Success", createdDt: String(Date.now()), token }))
  })
  const second = await listen(target)
  const redirecting = createServer((req, res) => {
    firstSeen.push(req.headers)
    res.writeHead(status, { location: `${second}${req.url ?? "/"}`, "content-type": "text/plain" })
    res.end("moved")
  })
  const first = await listen(redirecting)
  return {
    first,
    second,
    firstSeen,
    secondSeen,
    close: () => Promise.all([stop(redirecting), stop(target)]).then(() => undefined)
  }
}
