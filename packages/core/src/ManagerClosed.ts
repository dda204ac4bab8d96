/**
 * The failure of a call on a token manager that was closed: `close()` of the Promise facade, or
 * the end of the `Scope` (layer) of an Effect `TokenManager`. Calls made after closing fail with
 * it at once; calls waiting on an acquisition that closing interrupted fail with it too.
 *
 * Classified `"unavailable"` (CLI exit code 4, HTTP 503 in a proxy): the manager can no longer
 * provide tokens. Not `retryable`: retrying the same manager cannot succeed; build a new one.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * The token manager was closed.
 *
 * @example
 * ```ts
 * import { createTokenManager, exitCodeOf } from "@ipos/auth-core"
 * const tokens = createTokenManager({ apiKey, secretKey })
 * await tokens.close()
 * const error = await tokens.getToken().catch((e) => e)
 * error._tag          // "ManagerClosed"
 * exitCodeOf(error)   // 4
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class ManagerClosed extends Data.TaggedError("ManagerClosed") {
  /** Failure classification (CLI exit code 4). */
  readonly kind = "unavailable" as const
  /** Retrying the same manager cannot succeed. */
  readonly retryable = false as const
  /** One safe line. */
  override get message(): string {
    return "the token manager is closed"
  }
}
