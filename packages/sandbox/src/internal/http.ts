/** The request and reply shapes the routes work with, so they stay free of Node's stream plumbing. */
import type { IncomingHttpHeaders } from "node:http"
import { STATUS_CODES } from "node:http"
import type { FaultKind } from "../Faults.js"

/** A request whose body has been read (and capped) already. */
export interface SandboxRequest {
  readonly method: string
  /** Path without the query string. */
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** What to answer: a response, or a deliberate connection reset. */
export type Reply =
  | {
      readonly _tag: "Send"
      readonly status: number
      readonly headers: Readonly<Record<string, string>>
      readonly body: string
      /** The `errorCode` when the body is an `AuthError`, for counters and the log. */
      readonly errorCode: string | null
      /** The fault that produced this reply, if any. */
      readonly fault: FaultKind | null
      /** Close the connection after answering (the request body was not read). */
      readonly close: boolean
    }
  | { readonly _tag: "Reset"; readonly fault: FaultKind }

/** Extras of a reply beyond status and body. */
export interface ReplyExtras {
  readonly headers?: Readonly<Record<string, string>>
  readonly errorCode?: string
  readonly fault?: FaultKind
  readonly close?: boolean
}

const send = (status: number, contentType: string, body: string, extras: ReplyExtras): Reply => ({
  _tag: "Send",
  status,
  headers: { "Content-Type": contentType, ...extras.headers },
  body,
  errorCode: extras.errorCode ?? null,
  fault: extras.fault ?? null,
  close: extras.close ?? false
})

/** A JSON reply. */
export const json = (status: number, value: unknown, extras: ReplyExtras = {}): Reply =>
  send(status, "application/json", JSON.stringify(value), extras)

/** A reply with a body of any type, sent as is. */
export const raw = (status: number, contentType: string, body: string, extras: ReplyExtras = {}): Reply =>
  send(status, contentType, body, extras)

/** The JSON answer for a request the sandbox will not serve: `{ error: "<reason phrase>", message? }`. */
export const problem = (status: number, message?: string, extras: ReplyExtras = {}): Reply =>
  json(
    status,
    message === undefined ? { error: STATUS_CODES[status] } : { error: STATUS_CODES[status], message },
    extras
  )

/** A reply that resets the connection. */
export const reset = (fault: FaultKind): Reply => ({ _tag: "Reset", fault })

/**
 * One header's value; Node lower-cases names and joins repeated custom headers with ", ", so a
 * repeated header is simply an unusual value.
 */
export const header = (request: SandboxRequest, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(", ") : value
}

/**
 * Answers by method: GET also serves HEAD (Node drops the body), anything else is a `405` naming
 * the allowed methods.
 */
export const byMethod = (
  request: SandboxRequest,
  handlers: Readonly<Partial<Record<string, () => Reply | Promise<Reply>>>>
): Reply | Promise<Reply> => {
  const method = request.method === "HEAD" && handlers.GET !== undefined ? "GET" : request.method
  const handler = handlers[method]
  if (handler !== undefined) return handler()
  const allow = Object.keys(handlers)
  if (handlers.GET !== undefined) allow.push("HEAD")
  return problem(405, undefined, { headers: { Allow: allow.join(", ") } })
}
