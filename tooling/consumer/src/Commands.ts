/**
 * The command lines the check runs, built as data (program, arguments, directory, environment) so
 * that they can be read and tested without running anything.
 */
import { dirname, join } from "node:path"

/**
 * One process to run.
 *
 * @example
 * const command: Command = { program: "npm", args: ["--version"], cwd: "/tmp" }
 */
export interface Command {
  readonly program: string
  readonly args: ReadonlyArray<string>
  readonly cwd: string
  /** The whole environment of the process; the parent's when absent. */
  readonly env?: Readonly<Record<string, string>>
}

/** A process environment as Node gives it. */
export type Env = Readonly<Record<string, string | undefined>>

/**
 * `env` without what a package manager running this check put there (`npm_config_*`,
 * `npm_package_*`, `pnpm_*`, `INIT_CWD`): the consumer's npm must read only its own settings, as on
 * a user's machine. The rest (PATH, HOME, proxies) stays; `first` goes first on PATH.
 *
 * @example
 * consumerEnv({ PATH: "/usr/bin", npm_config_frozen_lockfile: "true" }, "/node/bin") // { PATH: "/node/bin:/usr/bin" }
 */
export const consumerEnv = (env: Env, first: string): Record<string, string> => {
  const kept = Object.entries(env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && !/^(?:npm_|pnpm_)/i.test(entry[0]) && entry[0] !== "INIT_CWD"
  )
  const out = Object.fromEntries(kept)
  out.PATH = [first, ...(out.PATH ?? "").split(":").filter((p) => p !== "" && p !== first)].join(":")
  return out
}

/**
 * `ipos-auth`'s environment: the consumer environment without any `IPOS_*` of the caller, plus `ipos`.
 *
 * @example
 * cliEnv({ PATH: "/usr/bin", IPOS_SCOPE: "Recurring" }, "/node/bin", { IPOS_AUTH_URL: "http://127.0.0.1:4010" })
 * // { PATH: "/node/bin:/usr/bin", IPOS_AUTH_URL: "http://127.0.0.1:4010" }
 */
export const cliEnv = (env: Env, first: string, ipos: Readonly<Record<string, string>>): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(consumerEnv(env, first)).filter(([key]) => !key.startsWith("IPOS_"))),
  ...ipos
})

/**
 * Builds the packages `names` and what they depend on, through the workspace's turbo wrapper
 * (a cache hit when `npm test` has just built them).
 *
 * @example
 * buildCommand("/repo", ["@ipos/auth-core"]).args
 * // ["tooling/scripts/turbo.sh", "run", "build", "--filter=@ipos/auth-core...", "--output-logs=errors-only"]
 */
export const buildCommand = (root: string, names: ReadonlyArray<string>): Command => ({
  program: "bash",
  args: [
    "tooling/scripts/turbo.sh",
    "run",
    "build",
    ...names.map((n) => `--filter=${n}...`),
    "--output-logs=errors-only"
  ],
  cwd: root
})

/**
 * Packs the package in `dir` into `destination` as pnpm publishes it (`workspace:` ranges
 * replaced by versions); `--json` prints the tarball's path.
 *
 * @example
 * packCommand("/repo/packages/core", "/tmp/x/tarballs").args // ["pack", "--pack-destination", "/tmp/x/tarballs", "--json"]
 */
export const packCommand = (dir: string, destination: string): Command => ({
  program: "pnpm",
  args: ["pack", "--pack-destination", destination, "--json"],
  cwd: dir
})

/**
 * Plain `npm install` in the consumer project, with npm's cache in `cacheDir` (reruns are quick)
 * and cached metadata used without asking the registry again (`--prefer-offline`).
 *
 * @example
 * npmInstallCommand("/tmp/x/project", "/repo/.cache/npm-consumer", env).args
 * // ["install", "--cache", "/repo/.cache/npm-consumer", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=warn"]
 */
export const npmInstallCommand = (
  project: string,
  cacheDir: string,
  env: Readonly<Record<string, string>>
): Command => ({
  program: "npm",
  args: ["install", "--cache", cacheDir, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=warn"],
  cwd: project,
  env
})

/**
 * A workspace tool run with the Node running this check (its `.bin` shims would take the first
 * `node` on PATH): `bin` is the tool's JavaScript entry.
 *
 * @example
 * nodeCommand("/node/bin/node", "/repo/node_modules/typescript/bin/tsc", ["-p", "tsconfig.json"], "/tmp/x/project").args
 * // ["/repo/node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]
 */
export const nodeCommand = (node: string, bin: string, args: ReadonlyArray<string>, cwd: string): Command => ({
  program: node,
  args: [bin, ...args],
  cwd
})

/**
 * `tsc -p <tsconfig>` in the consumer project (the tsconfigs say `noEmit`).
 *
 * @example
 * tscCommand("/node/bin/node", "/repo/node_modules/typescript/bin/tsc", "/tmp/x/project", "tsconfig.node16.json").args
 * // ["/repo/node_modules/typescript/bin/tsc", "-p", "tsconfig.node16.json", "--pretty", "false"]
 */
export const tscCommand = (node: string, tsc: string, project: string, tsconfig: string): Command =>
  nodeCommand(node, tsc, ["-p", tsconfig, "--pretty", "false"], project)

/**
 * publint on a packed tarball; `--strict` makes its warnings fail too.
 *
 * @example
 * publintCommand("/node/bin/node", "/repo/node_modules/publint/src/cli.js", "/tmp/x/tarballs/a-1.0.0.tgz").args
 * // ["/repo/node_modules/publint/src/cli.js", "run", "--strict", "/tmp/x/tarballs/a-1.0.0.tgz"]
 */
export const publintCommand = (node: string, publint: string, tarball: string): Command =>
  nodeCommand(node, publint, ["run", "--strict", tarball], dirname(tarball))

/**
 * Are the Types Wrong on a packed tarball, for ESM-only packages (CommonJS `require` and `node10`
 * resolution ignored).
 *
 * @example
 * attwCommand("/node/bin/node", "/repo/node_modules/@arethetypeswrong/cli/dist/index.js", "/tmp/x/tarballs/a-1.0.0.tgz").args
 * // ["/repo/node_modules/@arethetypeswrong/cli/dist/index.js", "/tmp/x/tarballs/a-1.0.0.tgz", "--profile", "esm-only", "--format", "ascii"]
 */
export const attwCommand = (node: string, attw: string, tarball: string): Command =>
  nodeCommand(node, attw, [tarball, "--profile", "esm-only", "--format", "ascii"], dirname(tarball))

/**
 * An installed command of the consumer project, as a user runs it (`node_modules/.bin/<name>`).
 *
 * @example
 * binCommand("/tmp/x/project", "ipos-auth", ["--version"], env).program // "/tmp/x/project/node_modules/.bin/ipos-auth"
 */
export const binCommand = (
  project: string,
  name: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>
): Command => ({ program: join(project, "node_modules", ".bin", name), args, cwd: project, env })
