/** The two answers of the auth endpoints: a token, or an `AuthError` under the configured status. */
import { type AuthErrorCode, authError } from "../AuthErrors.js"
import { signToken } from "../Jwt.js"
import type { InternalScopeName } from "../Scopes.js"
import type { Context } from "./Context.js"
import { json, type Reply } from "./http.js"

// Tokens and refusals must never be cached by anything between the sandbox and the client.
const noStore = { "Cache-Control": "no-store" } as const

/** A refusal with a documented code, under `errorStatus` (200 unless configured otherwise). */
export const refuse = (ctx: Context, code: AuthErrorCode): Reply =>
  json(ctx.settings.errorStatus, authError(code), { errorCode: code, headers: noStore })

/**
 * Signs a token and wraps it in the success body. `iat` is the current second; `createdDt` is the
 * current millisecond as a string, as the vendor sends it.
 */
export const issue = async (
  ctx: Context,
  claims: { readonly uniqueId: string; readonly scope: InternalScopeName; readonly lifetimeSeconds: number }
): Promise<Reply> => {
  const now = Math.trunc(ctx.settings.now())
  const iat = Math.floor(now / 1000)
  const token = await signToken(ctx.key.privateKey, {
    scope: claims.scope,
    uniqueId: claims.uniqueId,
    iat,
    exp: iat + claims.lifetimeSeconds
  })
  return json(
    200,
    { responseCode: "00", responseMessage: "Success", createdDt: String(now), token },
    { headers: noStore }
  )
}
