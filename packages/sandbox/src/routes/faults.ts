/**
 * Applies the active faults to an auth request before the real handler runs: the delay first,
 * then at most one answering fault (outage, failNext, rateLimit, authError, malformed).
 * The answers imitate what sits in front of real services: an nginx-style HTML error page, a
 * gateway's JSON 429, a reset connection, a cut-off body.
 */
import { STATUS_CODES } from "node:http"
import type { FaultAction, FaultKind } from "../Faults.js"
import type { Context } from "../internal/Context.js"
import { json, type Reply, raw, reset, type SandboxRequest } from "../internal/http.js"

const errorPage = (status: number): string => {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

const kindOf: Readonly<Record<FaultAction["_tag"], FaultKind>> = {
  Outage: "outage",
  Fail: "failNext",
  Reset: "failNext",
  RateLimit: "rateLimit",
  AuthError: "authError",
  Malformed: "malformed"
}

/**
 * The reply a fault gives.
 *
 * @example
 * ```ts
 * faultReply({ _tag: "RateLimit", retryAfterSeconds: 2 }, 200) // 429, Retry-After: 2
 * ```
 */
const faultReply = (action: FaultAction, errorStatus: number): Reply => {
  const fault = kindOf[action._tag]
  switch (action._tag) {
    case "Outage":
      return raw(503, "text/html", errorPage(503), { fault })
    case "Fail":
      return raw(action.status, "text/html", errorPage(action.status), { fault })
    case "Reset":
      return reset(fault)
    case "RateLimit":
      return json(
        429,
        { message: "Too Many Requests" },
        { fault, headers: { "Retry-After": String(action.retryAfterSeconds) } }
      )
    case "AuthError":
      return json(
        errorStatus,
        { errorCode: action.errorCode, errorMessage: action.errorMessage },
        { fault, errorCode: action.errorCode }
      )
    case "Malformed":
      if (action.kind === "empty") return raw(200, "application/json", "", { fault })
      if (action.kind === "html") {
        return raw(200, "text/html", "<html><body><h1>Please sign in to continue</h1></body></html>", { fault })
      }
      return raw(200, "application/json", '{"responseCode":"00","responseMessage":"Success","createdDt":"17', { fault })
  }
}

/** Wraps an auth handler with the faults; counts each fault that acts. */
export const withFaults =
  (handler: (request: SandboxRequest, ctx: Context) => Promise<Reply>) =>
  async (request: SandboxRequest, ctx: Context): Promise<Reply> => {
    const delayMs = ctx.faults.delayMs
    if (delayMs > 0) {
      ctx.counters.fault("delay")
      // The sandbox is stopping: there is nobody left to answer.
      if (!(await ctx.sleep(delayMs))) return reset("delay")
    }
    const action = ctx.faults.next()
    if (action !== undefined) {
      ctx.counters.fault(kindOf[action._tag])
      return faultReply(action, ctx.settings.errorStatus)
    }
    const reply = await handler(request, ctx)
    return delayMs > 0 && reply._tag === "Send" ? { ...reply, fault: "delay" } : reply
  }
