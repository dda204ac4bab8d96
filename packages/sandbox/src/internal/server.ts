/**
 * The Node HTTP server of a sandbox: reads (and caps) bodies, adds CORS headers, answers
 * preflights, routes, counts, logs, and turns anything unexpected into a clean JSON answer
 * instead of a crash. Malformed or oversized request heads are answered from `clientError`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from "node:http"
import type { Socket } from "node:net"
import { performance } from "node:perf_hooks"
import { corsHeaders, preflightHeaders } from "../Cors.js"
import type { RequestLogEntry } from "../Options.js"
import { endpointOf, route } from "../routes/router.js"
import type { Context } from "./Context.js"
import { problem, type Reply } from "./http.js"
import { readBody } from "./readBody.js"

// Bodies up to this size are read and dropped so the client sees the 413; beyond it, not read.
const drainLimit = (maxBodyBytes: number): number => Math.max(1024 * 1024, maxBodyBytes * 4)

/** The path of a request target, without query; absolute-form targets (`http://host/path`) are accepted. */
export const pathOf = (target: string | undefined): string => {
  const value = target ?? "/"
  if (/^https?:\/\//i.test(value)) {
    try {
      return new URL(value).pathname
    } catch {
      return "/"
    }
  }
  const query = value.indexOf("?")
  return query === -1 ? value : value.slice(0, query)
}

const resetSocket = (socket: Socket): void => {
  // An RST, not a FIN: what a crashing upstream or a load balancer dropping the flow looks like.
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy()
  else socket.destroy()
}

const headString = (status: number, body: string): string =>
  `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`

/** Creates the (not yet listening) server of one sandbox. */
export const createSandboxServer = (ctx: Context): Server => {
  const { settings, counters } = ctx

  const log = (entry: RequestLogEntry): void => {
    try {
      settings.onRequest?.(entry)
    } catch {
      // A failing logger must not take the sandbox down.
    }
  }

  const originOf = (req: IncomingMessage): string | undefined =>
    typeof req.headers.origin === "string" ? req.headers.origin : undefined

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now()
    const method = req.method ?? "GET"
    const path = pathOf(req.url)
    const origin = originOf(req)
    const done = (endpoint: RequestLogEntry["endpoint"], status: number | null, reply?: Reply) =>
      log({
        method,
        path,
        endpoint,
        status,
        errorCode: reply?._tag === "Send" ? reply.errorCode : null,
        fault: reply?.fault ?? null,
        durationMs: Math.round(performance.now() - started)
      })

    if (method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
      counters.preflight()
      res.writeHead(204, { ...preflightHeaders(settings.cors, origin), "Content-Length": "0" })
      res.end()
      done("preflight", 204)
      return
    }

    const endpoint = endpointOf(path)
    const counted = endpoint !== "control"
    if (counted) counters.request(endpoint)
    const body = await readBody(req, settings.maxBodyBytes, drainLimit(settings.maxBodyBytes))
    if (body._tag === "Aborted") {
      res.destroy()
      done(endpoint, null)
      return
    }
    const reply =
      body._tag === "TooLarge"
        ? problem(413, `request bodies are limited to ${settings.maxBodyBytes} bytes`, { close: !body.drained })
        : await route({ method, path, headers: req.headers, body: body.bytes }, ctx)

    if (reply._tag === "Reset") {
      resetSocket(req.socket)
      done(endpoint, null, reply)
      return
    }
    if (res.destroyed || res.writableEnded) {
      // The client left while a delay was running.
      done(endpoint, null, reply)
      return
    }
    res.writeHead(reply.status, {
      ...reply.headers,
      ...corsHeaders(settings.cors, origin),
      "Content-Length": String(Buffer.byteLength(reply.body)),
      ...(reply.close ? { Connection: "close" } : {})
    })
    res.end(reply.body)
    if (counted) {
      counters.status(reply.status)
      if (reply.errorCode !== null) counters.error(reply.errorCode)
    }
    done(endpoint, reply.status, reply)
  }

  const server = createServer({ maxHeaderSize: settings.maxHeaderBytes }, (req, res) => {
    handle(req, res).catch(() => {
      // A bug, not a client's fault: answer 500 if still possible, never crash the process.
      if (!res.headersSent && !res.destroyed) {
        const body = JSON.stringify({ error: STATUS_CODES[500] })
        res.writeHead(500, {
          ...corsHeaders(settings.cors, originOf(req)),
          "Content-Type": "application/json",
          "Content-Length": String(Buffer.byteLength(body))
        })
        res.end(body)
      } else res.destroy()
    })
  })

  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy()
      return
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400
    counters.status(status)
    socket.end(headString(status, JSON.stringify({ error: STATUS_CODES[status] })))
  })

  return server
}
