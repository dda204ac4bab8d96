/**
 * A loopback HTTP server that answers every request with one fixed token response: for answers
 * neither the sandbox nor Prism gives (an `exp` in microseconds, a token expired on arrival).
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

export interface FixedAnswer {
  readonly url: string
  /** Requests received so far. */
  readonly requests: () => number
  readonly stop: () => Promise<void>
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** A JWT with these claims and an obviously fake signature. */
export const fakeJwt = (claims: Record<string, unknown>): string =>
  `${b64({ alg: "RS256" })}.${b64(claims)}.${Buffer.from("not-a-real-signature").toString("base64url")}`

/** Serves `{ responseCode: "00", responseMessage: "Success", createdDt, token }` on 127.0.0.1. */
export const startFixedAnswer = async (token: string, createdDt = String(Date.now())): Promise<FixedAnswer> => {
  let count = 0
  const body = JSON.stringify({ responseCode: "00", responseMessage: "Success", createdDt, token })
  const server = createServer((req, res) => {
    count++
    req.resume()
    res.writeHead(200, { "content-type": "application/json" }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    stop: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
