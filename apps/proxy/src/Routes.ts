/**
 * Several scopes through one proxy: `--route /reports/=BatchReport` maps a path prefix to a scope;
 * the longest matching prefix wins and every other path uses the default scope. Each scope has its
 * own token, held and refreshed by the one token manager.
 *
 * @since 0.2.0
 */
import { scopes } from "@ipos/auth-core"
import * as Result from "effect/Result"
import type { TokenSource } from "./TokenSource.js"

/**
 * A path prefix and the scope of the requests under it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Route {
  readonly prefix: string
  readonly scope: string
}

/**
 * Parses `PREFIX=SCOPE` (`/reports/=BatchReport`); the message names `name`, never a value that
 * could be a secret (none of these is).
 *
 * @example
 * ```ts
 * import { parseRoute } from "@ipos/auth-proxy"
 * parseRoute("/reports/=BatchReport", "--route") // Success({ prefix: "/reports/", scope: "BatchReport" })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const parseRoute = (text: string, name: string): Result.Result<Route, string> => {
  const eq = text.lastIndexOf("=")
  const prefix = text.slice(0, eq)
  const scope = text.slice(eq + 1)
  if (eq <= 0 || !prefix.startsWith("/"))
    return Result.fail(`${name}: expected PREFIX=SCOPE, e.g. /reports/=BatchReport`)
  if (prefix.startsWith("/_ipos/")) return Result.fail(`${name}: ${prefix} is reserved`)
  if (!(scopes as ReadonlyArray<string>).includes(scope))
    return Result.fail(`${name}: scope must be one of ${scopes.join(", ")}`)
  return Result.succeed({ prefix, scope })
}

/**
 * The token source of a request target: the longest route prefix it starts with, else `fallback`.
 *
 * @example
 * ```ts
 * import { makeRouter } from "@ipos/auth-proxy"
 * const route = makeRouter([{ prefix: "/reports/", scope: "BatchReport" }], sources, fallback)
 * route("/reports/daily?x=1").scope // "BatchReport"
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeRouter = (
  routes: ReadonlyArray<Route>,
  sources: ReadonlyMap<string, TokenSource>,
  fallback: TokenSource
): ((url: string) => TokenSource) => {
  const table = [...routes]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((r) => [r.prefix, sources.get(r.scope) ?? fallback] as const)
  if (table.length === 0) return () => fallback
  return (url) => {
    for (const [prefix, source] of table) if (url.startsWith(prefix)) return source
    return fallback
  }
}
