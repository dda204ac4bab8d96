/**
 * What a command produces: text for stdout, or a failure that becomes one stderr line (plus a hint)
 * and an exit code of the interface contract. Commands return these instead of printing, so the
 * fast path and the `effect/cli` program print them the same way.
 */
import { type AuthFailure, exitCodeOf } from "@ipos/auth-core"
import { mask } from "./Mask.js"

/** A usage problem found by the CLI itself (exit 2, nothing sent). */
export interface UsageFailure {
  readonly _tag: "UsageFailure"
  readonly message: string
}

/**
 * A failure that still has something for stdout: a freshly minted token whose `exp` is no time
 * (exit 5, but the token is printed rather than lost; see `commands/issue.ts`).
 */
interface FailureWithOutput {
  readonly _tag: "FailureWithOutput"
  readonly failure: AuthFailure
  readonly stdout: string
}

/** Anything a command can fail with. */
export type CommandFailure = AuthFailure | UsageFailure | FailureWithOutput

/**
 * A usage failure.
 *
 * @example
 * ```ts
 * usage("no token: pass --token JWT or pipe one on stdin")
 * ```
 */
export const usage = (message: string): UsageFailure => ({ _tag: "UsageFailure", message })

/** How a failure is shown: the stderr lines (no secret, no whole token) and the exit code. */
export interface FailureReport {
  readonly lines: ReadonlyArray<string>
  readonly exitCode: 2 | 3 | 4 | 5
}

// The core names a programmatic field; on the command line the user typed a flag.
const flagNames: Readonly<Record<string, string>> = {
  scope: "--scope",
  expiryMinutes: "--expiry",
  env: "--env",
  baseUrl: "--auth-url"
}

const messageOf = (failure: AuthFailure): string =>
  failure._tag === "ValidationError" && failure.field in flagNames
    ? `Invalid ${flagNames[failure.field]}: ${failure.reason}`
    : failure.message

/**
 * Reports a failure as `ipos-auth: <message>` and, where one helps, `hint: <hint>`, with any of
 * anything JWT-like and each of `secrets` (the credentials in use) masked.
 *
 * @example
 * ```ts
 * report(usage("no token given")) // { lines: ["ipos-auth: no token given"], exitCode: 2 }
 * ```
 */
export const report = (failure: CommandFailure, secrets: ReadonlyArray<string> = []): FailureReport => {
  if (failure._tag === "UsageFailure") return { lines: [`ipos-auth: ${mask(failure.message, secrets)}`], exitCode: 2 }
  if (failure._tag === "FailureWithOutput") return report(failure.failure, secrets)
  const hint = "hint" in failure ? failure.hint : undefined
  const line = `ipos-auth: ${mask(messageOf(failure), secrets)}`
  return { lines: hint === undefined ? [line] : [line, `hint: ${hint}`], exitCode: exitCodeOf(failure) }
}
