/**
 * The downstream echo API, `/api/...` with any method: a stand-in for a protected iPOSpays API.
 * It serves a request only when header `token` holds a token this sandbox issued, with a valid
 * signature, not revoked and not expired; it echoes the method, the path and the token's claims
 * (never the token itself). Otherwise `401` with a machine-readable `reason`.
 */
import type { Context } from "../internal/Context.js"
import { header, json, type Reply, type SandboxRequest } from "../internal/http.js"
import { checkToken } from "../Jwt.js"

/** Why the echo API refused a token. */
export type EchoRefusal =
  | "token-missing"
  | "token-malformed"
  | "signature-invalid"
  | "token-unknown"
  | "token-revoked"
  | "token-expired"

const unauthorized = (reason: EchoRefusal): Reply => json(401, { error: "Unauthorized", reason })

/** Answers any request under `/api`. */
export const echo = async (request: SandboxRequest, ctx: Context): Promise<Reply> => {
  const token = header(request, "token")?.trim() ?? ""
  if (token === "") return unauthorized("token-missing")
  const check = await checkToken(ctx.key.publicKey, token)
  if (check._tag === "Malformed") return unauthorized("token-malformed")
  if (check._tag === "BadSignature") return unauthorized("signature-invalid")
  if (check._tag === "BadClaims") return unauthorized("token-unknown")
  const entry = ctx.tokens.lookup(check.claims.uniqueId)
  if (entry === undefined) return unauthorized("token-unknown")
  if (entry.revoked) return unauthorized("token-revoked")
  // `exp` is the first second at which the token is no longer valid (RFC 7519).
  if (ctx.settings.now() >= check.claims.exp * 1000) return unauthorized("token-expired")
  return json(200, { method: request.method, path: request.path, claims: check.claims })
}
