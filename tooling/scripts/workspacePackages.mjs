// The workspace's package directories, from the `packages:` globs of pnpm-workspace.yaml (single
// directories and `dir/*`), read without a YAML parser: these checks run before anything is installed.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

/** The repository root. */
export const root = join(new URL(".", import.meta.url).pathname, "../..")

/**
 * Absolute directories of every package of the workspace at `workspaceRoot`.
 *
 * @example
 * workspacePackagesIn("/repo") // ["/repo/spec", "/repo/packages/core", …]
 */
export const workspacePackagesIn = (workspaceRoot) => {
  const workspace = readFileSync(join(workspaceRoot, "pnpm-workspace.yaml"), "utf8")
  const block = /^packages:\n((?:[ \t]+.*\n)*)/m.exec(workspace)?.[1] ?? ""
  const globs = [...block.matchAll(/^\s+- ["']?([^"'\s]+)["']?$/gm)].map((m) => m[1])
  return globs.flatMap((glob) => {
    if (!glob.endsWith("/*")) return [join(workspaceRoot, glob)]
    const parent = join(workspaceRoot, glob.slice(0, -2))
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, "package.json")))
      .map((entry) => join(parent, entry.name))
  })
}

/**
 * Absolute directories of every package of this repository's workspace (or of the one at `dir`).
 *
 * @example
 * workspacePackages() // ["/…/spec", "/…/packages/core", …]
 */
export const workspacePackages = (dir = root) => workspacePackagesIn(dir)
