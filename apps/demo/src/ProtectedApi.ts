/**
 * "Call a protected API": a request to the sandbox's echo API (`/api/...`, standing in for Transact
 * v3) with the held token in header `token`, the way an integration uses the toolkit. A 401 means
 * the token was refused downstream (revoked, say): the manager drops that token and the call is
 * made once more with a new one, then the page gives up.
 */
import type { PromiseTokenManager, Scope } from "@ipos/auth-core"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

/** The echo API's answer: method, path and the token's claims (never the token). */
const EchoAnswer = Schema.Struct({
  method: Schema.String,
  path: Schema.String,
  claims: Schema.Record(Schema.String, Schema.Unknown)
})

/** The echo API's refusal. */
const EchoRefusal = Schema.Struct({ error: Schema.String, reason: Schema.String })

/** The path called. */
const protectedPath = "/api/v3/iposTransact"

/** What one click produced. */
export type CallOutcome =
  | {
      readonly _tag: "Answered"
      readonly status: number
      readonly body: typeof EchoAnswer.Type
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
    const ok = Schema.decodeUnknownResult(EchoAnswer)(answer.body)
    if (answer.status === 200 && Result.isSuccess(ok)) {
      return { _tag: "Answered", status: answer.status, body: ok.success, retried }
    }
    const refusal = Schema.decodeUnknownResult(EchoRefusal)(answer.body)
    return {
      _tag: "Refused",
      status: answer.status,
      reason: Result.isSuccess(refusal) ? refusal.success.reason : "unexpected answer",
      retried
    }
  } catch (error) {
    return { _tag: "Failed", error }
  }
}
