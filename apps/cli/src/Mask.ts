/**
 * The last line of defence for output: the core keeps keys and tokens out of its messages, but a
 * user can type a secret or a token in the wrong place (`ipos-auth token "$IPOS_SECRET_KEY"`),
 * and a parser error would echo it. Every failure line the CLI prints passes through here.
 */
import { resolveCredentialFiles } from "@ipos/auth-core"
import * as Result from "effect/Result"

// Three base64url segments of some length: a compact JWS, whoever issued it.
const JWT = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g

/**
 * The credentials of the `IPOS_*` environment, to be masked wherever they appear.
 *
 * @example
 * ```ts
 * credentialsIn(process.env) // the keys of IPOS_API_KEY / IPOS_SECRET_KEY or of their _FILE twins, when set
 * ```
 */
export const credentialsIn = (env: Readonly<Record<string, string | undefined>>): ReadonlyArray<string> => {
  // Keys read from IPOS_API_KEY_FILE / IPOS_SECRET_KEY_FILE are masked as well.
  const resolved = resolveCredentialFiles(env)
  const keys = Result.isSuccess(resolved) ? resolved.success : env
  return [env.IPOS_API_KEY, env.IPOS_SECRET_KEY, keys.IPOS_API_KEY, keys.IPOS_SECRET_KEY].filter(
    (value): value is string => value !== undefined && value.length >= 4
  )
}

/**
 * Replaces anything that looks like a JWT with `<jwt>` and each of `secrets` with `<redacted>`.
 *
 * @example
 * ```ts
 * mask('Unexpected argument "eyJhbGciOi.eyJzY29wZSI6.c2lnbmF0dXJl"', []) // 'Unexpected argument "<jwt>"'
 * mask("bad value s3cr3t", ["s3cr3t"])                                // "bad value <redacted>"
 * ```
 */
export const mask = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((out, secret) => out.split(secret).join("<redacted>"), text.replace(JWT, "<jwt>"))
