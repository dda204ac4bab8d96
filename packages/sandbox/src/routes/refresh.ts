/**
 * `POST /v1/refresh-token`: exchanges a token this sandbox issued for a new one with the same
 * `uniqueId` and scope and a new `iat` / `exp`.
 *
 * Precedence, first failing check wins: 009 `refreshToken` missing or not `true` (case-insensitive)
 * · 006 `token` missing, empty, not three base64url segments or not JSON inside · 008 not RS256 or
 * the signature does not verify with this sandbox's key · 007 verified but not refreshable: unknown
 * to this sandbox (e.g. after a reset), revoked, or expired while `refreshExpired` is `false`.
 * The new token lives the minutes first asked for, or `tokenLifetimeSeconds` while that override is set.
 */

import { issue, refuse } from "../internal/answers.js"
import type { Context } from "../internal/Context.js"
import { header, type Reply, type SandboxRequest } from "../internal/http.js"
import { checkToken } from "../Jwt.js"

/** Answers `POST /v1/refresh-token` (faults are applied before this). */
export const refresh = async (request: SandboxRequest, ctx: Context): Promise<Reply> => {
  if (header(request, "refreshToken")?.trim().toLowerCase() !== "true") return refuse(ctx, "AUTH_ERR_009")
  const token = header(request, "token")?.trim() ?? ""
  if (token === "") return refuse(ctx, "AUTH_ERR_006")
  const check = await checkToken(ctx.key.publicKey, token)
  if (check._tag === "Malformed") return refuse(ctx, "AUTH_ERR_006")
  if (check._tag === "BadSignature") return refuse(ctx, "AUTH_ERR_008")
  if (check._tag === "BadClaims") return refuse(ctx, "AUTH_ERR_007")
  const { uniqueId, exp } = check.claims
  const entry = ctx.tokens.lookup(uniqueId)
  if (entry === undefined || entry.revoked) return refuse(ctx, "AUTH_ERR_007")
  if (!ctx.settings.refreshExpired && ctx.settings.now() >= exp * 1000) return refuse(ctx, "AUTH_ERR_007")
  const lifetimeSeconds = ctx.faults.tokenLifetimeSeconds ?? entry.lifetimeSeconds
  ctx.tokens.refreshed(uniqueId)
  return issue(ctx, { uniqueId, scope: entry.scope, lifetimeSeconds })
}
