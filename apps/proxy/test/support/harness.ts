/** Test harness: a proxy in-process, test upstreams, a raw HTTP client, all on 127.0.0.1. */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as net from "node:net"
import type { PromiseTokenManager } from "@ipos/auth-core"
import * as Result from "effect/Result"
import type { buildConnector } from "undici"
import { type ProxyConfig, parseCommand } from "../../src/Config.js"
import { type RunningProxy, startProxy } from "../../src/Proxy.js"

/** Every line any proxy logged in this test file (scanned for secrets). */
export const logged: Array<string> = []

export const demo = { apiKey: "demo-merchant-api-key", secretKey: "demo-merchant-secret-key" }

export const configFor = (args: ReadonlyArray<string>): ProxyConfig => {
  const parsed = parseCommand(["--listen", "127.0.0.1:0", ...args], {})
  if (Result.isFailure(parsed) || parsed.success._tag !== "Run") throw new Error(`bad test config ${args.join(" ")}`)
  return parsed.success.config
}

export interface TestProxy extends RunningProxy {
  readonly log: Array<string>
}

/** Starts a proxy in-process against `upstream`, its token from `authUrl` (the sandbox). */
export const startTestProxy = async (
  upstream: string,
  authUrl: string,
  args: ReadonlyArray<string> = [],
  credentials: { apiKey: string; secretKey: string } = demo,
  connect?: buildConnector.connector
): Promise<TestProxy> => {
  const log: Array<string> = []
  const started = await startProxy(configFor(["--upstream", upstream, "--auth-url", authUrl, ...args]), {
    env: { IPOS_API_KEY: credentials.apiKey, IPOS_SECRET_KEY: credentials.secretKey },
    ...(connect === undefined ? {} : { connect }),
    log: (line) => {
      log.push(line)
      logged.push(line)
    }
  })
  if (Result.isFailure(started)) throw new Error(started.failure)
  return { ...started.success, log }
}

/** Polls until `check` holds (generous: the machine is shared). */
export const eventually = async (check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time")
    await new Promise((r) => setTimeout(r, 25))
  }
}

export interface Answer {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly rawHeaders: ReadonlyArray<string>
  readonly body: Buffer
  readonly text: string
  readonly json: () => Record<string, unknown>
}

/** One request with exactly the given raw headers (a fresh connection each time). */
export const send = (
  port: number,
  options: { method?: string; path?: string; headers?: ReadonlyArray<string>; body?: Buffer | string } = {}
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: options.method ?? "GET",
      path: options.path ?? "/",
      // A raw header array gets no automatic Host: add one unless the test sends its own.
      headers:
        valuesOf(options.headers ?? [], "host").length > 0
          ? [...(options.headers ?? [])]
          : ["Host", `127.0.0.1:${port}`, ...(options.headers ?? [])],
      agent: false
    })
    req.on("error", reject)
    req.on("response", (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("error", reject)
      res.on("end", () => {
        const body = Buffer.concat(chunks)
        const text = body.toString("utf8")
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body,
          text,
          json: () => JSON.parse(text) as Record<string, unknown>
        })
      })
    })
    req.end(options.body)
  })

/** Writes raw bytes on a fresh connection and resolves with everything read until it closes. */
export const rawExchange = (port: number, bytes: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1")
    let out = ""
    socket.setEncoding("latin1")
    socket.on("data", (d: string) => {
      out += d
    })
    socket.on("error", reject)
    socket.on("close", () => resolve(out))
    socket.on("connect", () => socket.write(bytes, "latin1"))
    setTimeout(() => socket.end(), 3000).unref()
  })

export interface Seen {
  readonly method: string
  readonly url: string
  readonly rawHeaders: ReadonlyArray<string>
  readonly headers: http.IncomingHttpHeaders
}

export interface TestUpstream {
  readonly url: string
  readonly port: number
  readonly seen: Array<Seen>
  readonly close: () => Promise<void>
}

/** A test upstream recording what arrives; `handler` answers (default: 200 "ok"). */
export const startUpstream = async (
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => {
    res.end("ok")
  }
): Promise<TestUpstream> => {
  const seen: Array<Seen> = []
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, headers: req.headers })
    handler(req, res)
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
}

/** Header values of `name` (case-insensitive) in a raw header array. */
export const valuesOf = (raw: ReadonlyArray<string>, name: string): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) out.push(raw[i + 1]!)
  return out
}

/** The value of one sample in Prometheus text (`undefined` when absent). */
export const sample = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** Sends JSON to the sandbox's control API the way its hardened version requires. */
export const control = async (sandboxUrl: string, path: string, body: unknown, method = "POST"): Promise<number> => {
  const url = new URL(path, sandboxUrl)
  const text = JSON.stringify(body)
  const answer = await send(Number(url.port), {
    method,
    path: url.pathname,
    headers: ["Host", url.host, "Content-Type", "application/json", "Content-Length", String(Buffer.byteLength(text))],
    body: text
  })
  return answer.status
}

/**
 * A token manager that always hands out `token` and whose `invalidate` does nothing (as when the
 * core already dropped that token): an acquisition after a 401 brings the same token back.
 */
export const sameTokenManager = (token: string): PromiseTokenManager => {
  const expiresAt = Date.now() + 3_600_000
  return {
    getToken: () => Promise.resolve(token),
    getTokenInfo: () => Promise.reject(new Error("unused")),
    refresh: () => Promise.resolve(token),
    invalidate: () => {},
    status: () => ({
      scope: "PaymentTokenization",
      credentialsId: "test",
      state: "valid",
      degraded: false,
      inFlight: false,
      consecutiveFailures: 0,
      lastError: undefined,
      fingerprint: "…test",
      expiresAt,
      usableUntil: expiresAt - 60_000,
      refreshAt: expiresAt - 120_000,
      secondsToExpiry: 3600,
      clockOffsetMs: 0
    }),
    onEvent: () => () => {},
    events: { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) },
    close: () => Promise.resolve()
  }
}
