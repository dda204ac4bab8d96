/**
 * Credentials read from files, the convention of container secrets: `IPOS_API_KEY_FILE` and
 * `IPOS_SECRET_KEY_FILE` name files whose content (one trailing newline trimmed) is the key.
 * Setting a variable and its `_FILE` twin is a `ValidationError`: which one wins would be a guess.
 *
 * @since 0.2.0
 */
import * as Result from "effect/Result"
import { ValidationError, type ValidationField } from "./ValidationError.js"

/**
 * The `_FILE` variable names, beside `IPOS_API_KEY` and `IPOS_SECRET_KEY`.
 *
 * @example
 * ```ts
 * import { credentialFileNames } from "@ipos/auth-core"
 * credentialFileNames.apiKey // "IPOS_API_KEY_FILE"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export const credentialFileNames = {
  apiKey: "IPOS_API_KEY_FILE",
  secretKey: "IPOS_SECRET_KEY_FILE"
} as const

/**
 * Reads a whole text file (synchronously: configuration is read once, before anything starts).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs"
 * import type { ReadTextFile } from "@ipos/auth-core"
 * const read: ReadTextFile = (path) => readFileSync(path, "utf8")
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type ReadTextFile = (path: string) => string

interface NodeFs {
  readonly readFileSync: (path: string, encoding: "utf8") => string
}

/** Node's `fs` where the runtime has it (`process.getBuiltinModule`, Node ≥ 20.16), without importing it. */
const builtinRead = (): ReadTextFile | undefined => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const fs = proc?.getBuiltinModule?.("node:fs") as NodeFs | undefined
  return fs === undefined ? undefined : (path) => fs.readFileSync(path, "utf8")
}

/**
 * A file's content with one trailing newline (`\n` or `\r\n`) removed; a `ValidationError` naming
 * the variable (never the content) when it cannot be read.
 *
 * @example
 * ```ts
 * import { readSecretFile } from "@ipos/auth-core"
 * readSecretFile("/var/run/secrets/ipos/apiKey", "IPOS_API_KEY_FILE") // Result<string, ValidationError>
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const readSecretFile = (
  path: string,
  field: ValidationField,
  read: ReadTextFile | undefined = builtinRead()
): Result.Result<string, ValidationError> => {
  if (read === undefined) return Result.fail(new ValidationError({ field, reason: "files cannot be read here" }))
  try {
    return Result.succeed(read(path).replace(/\r?\n$/, ""))
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code
    return Result.fail(
      new ValidationError({ field, reason: `cannot be read (${typeof code === "string" ? code : "error"})` })
    )
  }
}

/**
 * The error of a variable set together with its `_FILE` twin.
 *
 * @example
 * ```ts
 * import { bothSet } from "@ipos/auth-core"
 * bothSet("IPOS_API_KEY", "IPOS_API_KEY_FILE").message
 * // "Invalid IPOS_API_KEY: must not be set together with IPOS_API_KEY_FILE (use one)"
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export const bothSet = (name: ValidationField, fileName: string): ValidationError =>
  new ValidationError({ field: name, reason: `must not be set together with ${fileName} (use one)` })

/**
 * The environment with `IPOS_API_KEY` and `IPOS_SECRET_KEY` taken from their `_FILE` twins where
 * those are set (the `_FILE` variables removed); a `ValidationError` when both twins are set or a
 * file cannot be read. An empty variable counts as unset.
 *
 * @example
 * ```ts
 * import { resolveCredentialFiles } from "@ipos/auth-core"
 * resolveCredentialFiles({ IPOS_API_KEY_FILE: "/secrets/apiKey", IPOS_SECRET_KEY_FILE: "/secrets/secretKey" })
 * // Success({ IPOS_API_KEY: "…", IPOS_SECRET_KEY: "…" })
 * ```
 *
 * @since 0.2.0
 * @category utils
 */
export const resolveCredentialFiles = (
  env: Readonly<Record<string, string | undefined>>,
  read: ReadTextFile | undefined = builtinRead()
): Result.Result<Record<string, string | undefined>, ValidationError> => {
  const out: Record<string, string | undefined> = { ...env }
  const pairs = [
    ["IPOS_API_KEY", credentialFileNames.apiKey],
    ["IPOS_SECRET_KEY", credentialFileNames.secretKey]
  ] as const
  for (const [name, fileName] of pairs) {
    const path = env[fileName]
    delete out[fileName]
    if (path === undefined || path === "") continue
    if (env[name] !== undefined && env[name] !== "") return Result.fail(bothSet(name, fileName))
    const value = readSecretFile(path, fileName, read)
    if (Result.isFailure(value)) return Result.fail(value.failure)
    out[name] = value.success
  }
  return Result.succeed(out)
}
