/**
 * The control API under `/_sandbox`, JSON in and out: faults, counters, revocation, reset, health,
 * the PEM key. It is never subject to faults and never counted.
 *
 * | route | does |
 * |---|---|
 * | `GET /_sandbox/health` | `{ status: "ok" }` |
 * | `GET /_sandbox/public-key.pem` | the public key (PEM) |
 * | `GET /_sandbox/faults` | the active faults |
 * | `POST /_sandbox/faults` | merge a `FaultsPatch`; answers the active faults |
 * | `DELETE /_sandbox/faults` | switch every fault off |
 * | `GET /_sandbox/counters` | the counters |
 * | `DELETE /_sandbox/counters` | zero the counters |
 * | `POST /_sandbox/revoke` | `{}` revokes every issued token, `{ uniqueId }` one; answers `{ revoked: n }` |
 * | `POST /_sandbox/reset` | back to the start-up state (faults from options, zero counters, no tokens) |
 *
 * Every request first passes the checks of `ControlAccess` (`Host`, `Origin`, JSON for `POST`).
 */
import { controlRefusal } from "../ControlAccess.js"
import type { Context } from "../internal/Context.js"
import { byMethod, json, problem, type Reply, type SandboxRequest } from "../internal/http.js"
import { SandboxConfigError } from "../SandboxConfigError.js"
import { publicKeyPem } from "./keys.js"

/** The path prefix reserved for the control API. */
export const controlPrefix = "/_sandbox"

// An empty body means "no settings", so `curl -X POST .../revoke` works.
const parse = (request: SandboxRequest): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  const text = request.body.toString("utf8").trim()
  if (text === "") return { ok: true, value: {} }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

const withBody = (request: SandboxRequest, use: (body: unknown) => Reply): Reply => {
  const body = parse(request)
  if (!body.ok) return problem(400, "the body is not valid JSON")
  try {
    return use(body.value)
  } catch (error) {
    if (error instanceof SandboxConfigError) return problem(400, error.message)
    throw error
  }
}

const revoke = (ctx: Context, body: unknown): Reply => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return problem(400, "the body must be {} or { uniqueId }")
  }
  const { uniqueId, ...rest } = body as Record<string, unknown>
  if (Object.keys(rest).length > 0 || (uniqueId !== undefined && typeof uniqueId !== "string")) {
    return problem(400, "the body must be {} or { uniqueId }")
  }
  return json(200, { revoked: ctx.tokens.revoke(uniqueId) })
}

/** Answers any request under `/_sandbox`. */
export const control = (request: SandboxRequest, ctx: Context): Reply | Promise<Reply> =>
  controlRefusal(ctx.settings.access, request) ?? route(request, ctx)

const route = (request: SandboxRequest, ctx: Context): Reply | Promise<Reply> => {
  switch (request.path) {
    case `${controlPrefix}/health`:
      return byMethod(request, { GET: () => json(200, { status: "ok" }) })
    case `${controlPrefix}/public-key.pem`:
      return publicKeyPem(request, ctx)
    case `${controlPrefix}/faults`:
      return byMethod(request, {
        GET: () => json(200, ctx.faults.snapshot()),
        POST: () => withBody(request, (body) => json(200, ctx.faults.apply(body))),
        DELETE: () => json(200, ctx.faults.clear())
      })
    case `${controlPrefix}/counters`:
      return byMethod(request, {
        GET: () => json(200, ctx.counters.snapshot()),
        DELETE: () => {
          ctx.counters.reset()
          return json(200, ctx.counters.snapshot())
        }
      })
    case `${controlPrefix}/revoke`:
      return byMethod(request, { POST: () => withBody(request, (body) => revoke(ctx, body)) })
    case `${controlPrefix}/reset`:
      return byMethod(request, {
        POST: () => {
          ctx.reset()
          return json(200, { faults: ctx.faults.snapshot(), counters: ctx.counters.snapshot() })
        }
      })
    default:
      return problem(404)
  }
}
