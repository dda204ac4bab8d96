/**
 * What a command produces: text for stdout, or a failure that becomes one stderr line (plus a hint)
 * and an exit code of the interface contract. Commands return these instead of printing, so the
 * fast path and the `effect/cli` program print them the same way.
 */
import type { AuthFailure } from "@ipos/auth-core"

/** A usage problem found by the CLI itself (exit 2, nothing sent). */
export interface UsageFailure {
  readonly _tag: "UsageFailure"
  readonly message: string
}

/** Anything a command can fail with. */
export type CommandFailure = AuthFailure | UsageFailure

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

const exitCodes = { validation: 2, rejected: 3, unavailable: 4, malformed: 5 } as const

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

// The core already keeps keys out of its messages; this is the last line of defence for a value
// the user typed in the wrong place (a secret passed as --scope, say).
const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((out, secret) => (secret.length >= 4 ? out.split(secret).join("<redacted>") : out), text)

/**
 * Reports a failure as `ipos-auth: <message>` and, where one helps, `hint: <hint>`, with any of
 * `secrets` (the credentials in use) masked.
 *
 * @example
 * ```ts
 * report(usage("no token given")) // { lines: ["ipos-auth: no token given"], exitCode: 2 }
 * ```
 */
export const report = (failure: CommandFailure, secrets: ReadonlyArray<string> = []): FailureReport => {
  if (failure._tag === "UsageFailure") return { lines: [`ipos-auth: ${scrub(failure.message, secrets)}`], exitCode: 2 }
  const hint = "hint" in failure ? failure.hint : undefined
  const line = `ipos-auth: ${scrub(messageOf(failure), secrets)}`
  return {
    lines: hint === undefined ? [line] : [line, `hint: ${hint}`],
    exitCode: exitCodes[failure.kind]
  }
}
