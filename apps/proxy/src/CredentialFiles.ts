/**
 * Where the proxy's credentials come from: `IPOS_API_KEY` / `IPOS_SECRET_KEY`, or the files named by
 * `IPOS_API_KEY_FILE` / `IPOS_SECRET_KEY_FILE` (a mounted secret), re-read when they change.
 *
 * Watching: Kubernetes updates a mounted secret by swapping the directory's `..data` symlink, which
 * a watch on the file itself misses, so the *directory* of each file is watched and the files are
 * re-read by path on any event there; a poll re-reads them as well, for filesystems without
 * events. Either way a change is reported only when the content differs from the last read.
 *
 * @since 0.2.0
 */
import { type FSWatcher, watch } from "node:fs"
import { dirname } from "node:path"
import { credentialFileNames, readSecretFile } from "@ipos/auth-core"
import * as Result from "effect/Result"

/**
 * The two keys as read (plain strings: they go straight to the core, which redacts them).
 *
 * @since 0.2.0
 * @category models
 */
export interface KeyPair {
  readonly apiKey: string
  readonly secretKey: string
}

/**
 * The proxy's credential source.
 *
 * @since 0.2.0
 * @category models
 */
export interface CredentialSource {
  /** The set at start (`undefined` keys when unset: the core reports what is missing). */
  readonly initial: KeyPair
  /** The set now (re-reads the files; a file that cannot be read keeps the last set). */
  readonly read: () => KeyPair
  /** True when the keys come from files (and can change). */
  readonly fromFiles: boolean
  /** Calls `changed` when the files' content changes; returns the function that stops watching. */
  readonly watch: (changed: () => void, pollMs: number) => () => void
}

/**
 * Resolves the credential variables; a usage error (exit 2) when a variable and its `_FILE` twin
 * are both set or a file cannot be read.
 *
 * @example
 * ```ts
 * import { credentialSource } from "@ipos/auth-proxy"
 * const source = credentialSource(process.env) // Result<CredentialSource, string>
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const credentialSource = (
  env: Readonly<Record<string, string | undefined>>
): Result.Result<CredentialSource, string> => {
  const given = (name: string) => (env[name] === "" ? undefined : env[name])
  const pairs = [
    ["IPOS_API_KEY", credentialFileNames.apiKey],
    ["IPOS_SECRET_KEY", credentialFileNames.secretKey]
  ] as const
  for (const [name, fileName] of pairs)
    if (given(name) !== undefined && given(fileName) !== undefined)
      return Result.fail(`${name} and ${fileName} are both set (use one)`)
  const apiKeyPath = given(credentialFileNames.apiKey)
  const secretKeyPath = given(credentialFileNames.secretKey)
  const paths = [apiKeyPath, secretKeyPath].filter((p): p is string => p !== undefined)

  const readKey = (name: "IPOS_API_KEY" | "IPOS_SECRET_KEY", path: string | undefined, fileName: string) =>
    path === undefined
      ? Result.succeed(given(name) ?? "")
      : readSecretFile(path, fileName as "IPOS_API_KEY_FILE" | "IPOS_SECRET_KEY_FILE")
  const readNow = (): Result.Result<KeyPair, string> => {
    const apiKey = readKey("IPOS_API_KEY", apiKeyPath, credentialFileNames.apiKey)
    if (Result.isFailure(apiKey)) return Result.fail(apiKey.failure.message)
    const secretKey = readKey("IPOS_SECRET_KEY", secretKeyPath, credentialFileNames.secretKey)
    if (Result.isFailure(secretKey)) return Result.fail(secretKey.failure.message)
    return Result.succeed({ apiKey: apiKey.success, secretKey: secretKey.success })
  }
  const first = readNow()
  if (Result.isFailure(first)) return Result.fail(first.failure)
  let last = first.success
  const read = (): KeyPair => {
    const now = readNow()
    // A file caught half-written or briefly missing during a swap: keep the last set.
    if (Result.isSuccess(now)) last = now.success
    return last
  }
  const key = (set: KeyPair) => `${set.apiKey}\u0000${set.secretKey}`

  return Result.succeed({
    initial: first.success,
    read,
    fromFiles: paths.length > 0,
    watch: (changed, pollMs) => {
      if (paths.length === 0) return () => {}
      let seen = key(last)
      let debounce: ReturnType<typeof setTimeout> | undefined
      const check = () => {
        const next = key(read())
        if (next === seen) return
        seen = next
        changed()
      }
      const soon = () => {
        clearTimeout(debounce)
        // Let a swap (or a writer) finish before reading.
        debounce = setTimeout(check, 50)
        debounce.unref()
      }
      const watchers: Array<FSWatcher> = []
      for (const dir of new Set(paths.map((p) => dirname(p)))) {
        try {
          const watcher = watch(dir, { persistent: false }, soon)
          watcher.on("error", () => watcher.close())
          watchers.push(watcher)
        } catch {
          // No events here (some network filesystems): the poll below still sees changes.
        }
      }
      const poll = setInterval(check, pollMs)
      poll.unref()
      return () => {
        clearInterval(poll)
        clearTimeout(debounce)
        for (const watcher of watchers) watcher.close()
      }
    }
  })
}
