/**
 * "Call a protected API": a request to the sandbox's echo API (`/api/...`, standing in for Transact
 * v3) with the held token in header `token`, the way an integration uses the toolkit. A 401 means
 * the token was refused downstream (revoked, say): the manager drops that token and the call is
 * made once more with a new one, then the page gives up.
 */
import type { PromiseTokenManager, Scope } from "@ipos/auth-core"
import { isRecord } from "./shape.js"

/** The echo API's answer: method, path and the token's claims (never the token). */
export interface EchoAnswer {
  readonly method: string
  readonly path: string
  readonly claims: Readonly<Record<string, unknown>>
}

/** Reads the echo API's answer; `undefined` when the body is not one. */
export const decodeEchoAnswer = (body: unknown): EchoAnswer | undefined =>
  isRecord(body) && typeof body.method === "string" && typeof body.path === "string" && isRecord(body.claims)
    ? { method: body.method, path: body.path, claims: body.claims }
    : undefined

/** The reason of the echo API's refusal (`{ error, reason }`); `undefined` when the body is not one. */
export const refusalReason = (body: unknown): string | undefined =>
  isRecord(body) && typeof body.error === "string" && typeof body.reason === "string" ? body.reason : undefined

/** The path called. */
const protectedPath = "/api/v3/iposTransact"

/** What one click produced. */
export type CallOutcome =
  | {
      readonly _tag: "Answered"
      readonly status: number
      readonly body: EchoAnswer
      readonly retried: boolean
    }
  | { readonly _tag: "Refused"; readonly status: number; readonly reason: string; readonly retried: boolean }
  | { readonly _tag: "Failed"; readonly error: unknown }

const send = async (baseUrl: string, token: string) => {
  const response = await fetch(`${baseUrl}${protectedPath}`, {
    method: "POST",
    headers: { token },
    signal: AbortSignal.timeout(5000)
  })
  const body: unknown = await response.json().catch(() => undefined)
  return { status: response.status, body }
}

/**
 * Calls the echo API with the manager's token, invalidating it and trying once more on a 401.
 *
 * @example
 * ```ts
 * const outcome = await callProtectedApi(manager, "PaymentTokenization", "http://127.0.0.1:4010")
 * if (outcome._tag === "Answered") console.log(outcome.body.claims.scope) // "paymentTokenize"
 * ```
 */
export const callProtectedApi = async (
  manager: PromiseTokenManager,
  scope: Scope,
  baseUrl: string
): Promise<CallOutcome> => {
  try {
    let retried = false
    let token = await manager.getToken(scope)
    let answer = await send(baseUrl, token)
    if (answer.status === 401) {
      manager.invalidate(token, scope)
      retried = true
      token = await manager.getToken(scope)
      answer = await send(baseUrl, token)
    }
    const ok = decodeEchoAnswer(answer.body)
    if (answer.status === 200 && ok !== undefined) {
      return { _tag: "Answered", status: answer.status, body: ok, retried }
    }
    return {
      _tag: "Refused",
      status: answer.status,
      reason: refusalReason(answer.body) ?? "unexpected answer",
      retried
    }
  } catch (error) {
    return { _tag: "Failed", error }
  }
}
