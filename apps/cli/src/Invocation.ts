/**
 * How to write an `ipos-auth` command that works as shown in the user's own shell. After set-up
 * `ipos-auth` is linked at `node_modules/.bin/ipos-auth` but is not on PATH, so a bare
 * `ipos-auth …` in a banner would fail; the way this process was started says what works instead.
 */
import { accessSync, constants } from "node:fs"
import { delimiter, isAbsolute, join, relative } from "node:path"

/** What a process knows about how it was started. */
export interface Launch {
  readonly env: Readonly<Record<string, string | undefined>>
  /** The script node runs (`process.argv[1]`). */
  readonly script: string | undefined
  readonly cwd: string
  /** Whether an executable file exists at this path. */
  readonly isExecutable: (path: string) => boolean
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The launch of this process.
 *
 * @example
 * ```ts
 * invocation(currentLaunch()) // "pnpm exec ipos-auth" when started with `pnpm exec ipos-auth …`
 * ```
 */
export const currentLaunch = (): Launch => ({
  env: process.env,
  script: process.argv[1],
  cwd: process.cwd(),
  isExecutable: executable
})

// pnpm, npm and npx put the workspace's `node_modules/.bin` in front of PATH for the command they
// run; the user's shell does not have it.
const injectedByPackageManager = (launch: Launch, dir: string): boolean =>
  (launch.env.npm_command !== undefined || launch.env.npm_lifecycle_event !== undefined) &&
  /node_modules[\\/]\.bin$|node-gyp-bin$/.test(dir)

const shellWord = (word: string): string => (/^[\w./@:+=-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)

const fromCwd = (launch: Launch, path: string): string => {
  const absolute = isAbsolute(path) ? path : join(launch.cwd, path)
  const local = relative(launch.cwd, absolute)
  return local.startsWith("..") || isAbsolute(local) ? absolute : local
}

/**
 * The words to type for `ipos-auth`, in order of preference: how the user ran it (`pnpm exec
 * ipos-auth`, with set-up's private pnpm when that is the one on the command's PATH, or `npx
 * ipos-auth`); `ipos-auth` when it is on the user's PATH; the linked bin in the current directory
 * (`node_modules/.bin/ipos-auth`); or `node` and the script.
 *
 * @example
 * ```ts
 * invocation({ env: { npm_command: "exec", npm_config_user_agent: "pnpm/10.34.8" }, script, cwd, isExecutable })
 * // "pnpm exec ipos-auth"
 * ```
 */
export const invocation = (launch: Launch): string => {
  const path = (launch.env.PATH ?? "").split(delimiter).filter((dir) => dir !== "")
  const agent = launch.env.npm_config_user_agent ?? ""
  if (launch.env.npm_command === "exec" && agent.startsWith("pnpm/")) {
    // Set-up's fallback links a private pnpm there when the global one is another version.
    const privatePnpm = path
      .filter((dir) => injectedByPackageManager(launch, dir))
      .map((dir) => join(dir, "pnpm"))
      .find((pnpm) => launch.isExecutable(isAbsolute(pnpm) ? pnpm : join(launch.cwd, pnpm)))
    return privatePnpm === undefined
      ? "pnpm exec ipos-auth"
      : `${shellWord(fromCwd(launch, privatePnpm))} exec ipos-auth`
  }
  if (launch.env.npm_command === "exec" && agent.startsWith("npm/")) return "npx ipos-auth"
  const onUserPath = path
    .filter((dir) => !injectedByPackageManager(launch, dir))
    .some((dir) => launch.isExecutable(join(dir, "ipos-auth")))
  if (onUserPath) return "ipos-auth"
  const linked = join(launch.cwd, "node_modules", ".bin", "ipos-auth")
  if (launch.isExecutable(linked)) return join("node_modules", ".bin", "ipos-auth")
  return launch.script === undefined ? "ipos-auth" : `node ${shellWord(fromCwd(launch, launch.script))}`
}
