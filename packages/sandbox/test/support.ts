/** Helpers shared by the HTTP-level tests: requests to a sandbox, claims decoding, raw sockets, a manual clock. */
import { request } from "node:http"
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
  return { status: response.status, headers: response.headers, text, body: jsonOf(text) }
}

/** The parsed body, or `undefined` when it is not JSON. */
const jsonOf = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The header every control write must carry (a cross-site "simple" request cannot). */
export const jsonType = { "Content-Type": "application/json" } as const

/** `POST` to the control API with a JSON body (none when `body` is undefined). */
export const postControl = (url: string, body?: string): Promise<Answer> =>
  call(url, body === undefined ? { method: "POST", headers: jsonType } : { method: "POST", headers: jsonType, body })

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

/**
 * Sends one request with exactly these headers (`Host` included, which `fetch` will not set) and
 * reads the whole answer.
 */
export const send = (
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = ""
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk))
      res.on("end", () => {
        const answerHeaders = new Headers()
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === "string") answerHeaders.set(name, value)
        }
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders, text, body: jsonOf(text) })
      })
    })
    req.on("error", reject)
    req.end(body)
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
