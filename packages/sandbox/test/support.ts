/** Helpers shared by the HTTP-level tests: requests to a sandbox, claims decoding, raw sockets, a manual clock. */
import { connect } from "node:net"
import { demoCredentials } from "../src/Credentials.js"
import type { TokenClaims } from "../src/Jwt.js"
import type { SandboxOptions } from "../src/Options.js"
import { type Sandbox, startSandbox } from "../src/Sandbox.js"

/** The demo merchant's headers for a PaymentTokenization token. */
export const merchant = {
  apiKey: demoCredentials[0]!.apiKey,
  secretKey: demoCredentials[0]!.secretKey,
  scope: "PaymentTokenization"
} as const

/** Keys of every demo level. */
export const keysOf = (level: "merchant" | "iso" | "agentOffice") => {
  const credential = demoCredentials.find((c) => c.level === level)!
  return { apiKey: credential.apiKey, secretKey: credential.secretKey }
}

/** A response read whole: status, headers, text body and the body parsed when it is JSON. */
export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: unknown
}

/** Sends a request and reads the whole answer. */
export const call = async (url: string, init: RequestInit = {}): Promise<Answer> => {
  const response = await fetch(url, init)
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, text, body }
}

/** `POST /v1/authenticate-token` with these headers. */
export const authenticate = (base: string, headers: Record<string, string> = merchant): Promise<Answer> =>
  call(`${base}/v1/authenticate-token`, { method: "POST", headers })

/** `POST /v1/refresh-token` with these headers. */
export const refresh = (base: string, headers: Record<string, string>): Promise<Answer> =>
  call(`${base}/v1/refresh-token`, { method: "POST", headers })

/** A token minted with the demo merchant, or a failing assertion. */
export const mint = async (base: string, headers: Record<string, string> = merchant): Promise<string> => {
  const answer = await authenticate(base, headers)
  const token = (answer.body as { token?: string } | undefined)?.token
  if (answer.status !== 200 || token === undefined) throw new Error(`mint failed: ${answer.status} ${answer.text}`)
  return token
}

/** The claims of a token, decoded without verification. */
export const claimsOf = (token: string): TokenClaims =>
  JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as TokenClaims

/** A clock a test moves by hand; starts at a fixed instant. */
export const manualClock = (start = Date.parse("2026-03-01T12:00:00.000Z")) => {
  let now = start
  return {
    now: () => now,
    advance: (ms: number): void => {
      now += ms
    },
    set: (ms: number): void => {
      now = ms
    }
  }
}

/** Writes raw bytes to a port; resolves with all it read once the server closes (`timeoutMs`: a safety net). */
export const rawExchange = (port: number, request: string | Buffer, timeoutMs = 5000): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1")
    const chunks: Array<Buffer> = []
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(Buffer.concat(chunks).toString("latin1"))
    }, timeoutMs)
    socket.on("data", (chunk) => chunks.push(chunk))
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      if (error.code === "ECONNRESET" || error.code === "EPIPE") resolve(Buffer.concat(chunks).toString("latin1"))
      else reject(error)
    })
    socket.on("close", () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks).toString("latin1"))
    })
    socket.write(request)
  })

/** Starts a sandbox for one piece of a test and always stops it, also when the piece fails. */
export const withSandbox = async (options: SandboxOptions, use: (sandbox: Sandbox) => Promise<void>): Promise<void> => {
  const sandbox = await startSandbox(options)
  try {
    await use(sandbox)
  } finally {
    await sandbox.stop()
  }
}
