/**
 * The reserved paths under `/_ipos/`, answered by the proxy itself and never forwarded:
 * health, readiness, token metadata (never the token), a forced refresh and Prometheus metrics.
 *
 * @since 0.1.0
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { sendJson } from "./Answers.js"
import type { ProxyMetrics } from "./Metrics.js"
import type { TokenSource } from "./TokenSource.js"

/**
 * The prefix of reserved paths.
 *
 * @example
 * ```ts
 * import { reservedPrefix } from "@ipos/auth-proxy"
 * "/_ipos/health".startsWith(reservedPrefix) // true
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const reservedPrefix = "/_ipos/"

/**
 * Builds the handler of reserved paths.
 *
 * @example
 * ```ts
 * import { makeAdmin } from "@ipos/auth-proxy"
 * const admin = makeAdmin(source, metrics)
 * if (req.url.startsWith("/_ipos/")) admin(req, res)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeAdmin = (source: TokenSource, metrics: ProxyMetrics, scoped: ReadonlyArray<TokenSource> = []) => {
  const each = <A>(f: (s: TokenSource) => A) => Object.fromEntries(scoped.map((s) => [s.scope, f(s)]))
  const routes: Record<string, { method: string; handle: (res: ServerResponse) => void }> = {
    health: { method: "GET", handle: (res) => sendJson(res, 200, { status: "ok" }) },
    ready: {
      method: "GET",
      handle: (res) => {
        // With routes: ready only when every scope holds a token; each is reported.
        const ready = [source, ...scoped].every((s) => s.current() !== undefined)
        const body = { ready, state: source.state() }
        sendJson(
          res,
          ready ? 200 : 503,
          scoped.length === 0
            ? body
            : { ...body, scopes: each((s) => ({ ready: s.current() !== undefined, state: s.state() })) }
        )
      }
    },
    token: {
      method: "GET",
      handle: (res) =>
        sendJson(
          res,
          200,
          scoped.length === 0 ? source.metadata() : { ...source.metadata(), scopes: each((s) => s.metadata()) }
        )
    },
    refresh: {
      method: "POST",
      handle: (res) => {
        void source.refresh().then((error) =>
          error === undefined
            ? sendJson(res, 200, source.metadata())
            : sendJson(res, error.kind === "rejected" ? 502 : 503, {
                error: "refresh_failed",
                class: error.kind,
                reason: error._tag,
                ...(error.code === undefined ? {} : { code: error.code }),
                message: error.message
              })
        )
      }
    },
    metrics: {
      method: "GET",
      handle: (res) => {
        // Reading the status sets the core's token gauges to their current values.
        source.metadata()
        const text = metrics.render({
          tokenReady: source.current() !== undefined,
          scopes: (scoped.length === 0 ? [source] : scoped).map((s) => ({
            scope: s.scope,
            ready: s.current() !== undefined
          }))
        })
        res.writeHead(200, [
          "content-type",
          "text/plain; version=0.0.4; charset=utf-8",
          "content-length",
          String(Buffer.byteLength(text)),
          "cache-control",
          "no-store"
        ])
        res.end(text)
      }
    }
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    // Reserved requests are answered without their body: drain it.
    req.resume()
    const url = req.url ?? ""
    const end = url.indexOf("?")
    const name = url.slice(reservedPrefix.length, end === -1 ? undefined : end)
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined
    if (route === undefined) {
      sendJson(res, 404, { error: "not_found", message: "unknown reserved path" })
      return
    }
    const method = req.method === "HEAD" && route.method === "GET" ? "GET" : req.method
    if (method === route.method) route.handle(res)
    else sendJson(res, 405, { error: "method_not_allowed", message: `use ${route.method}` }, ["allow", route.method])
  }
}
