// knip: unused files, exports, dependencies and binaries across the workspace (`npm run check:unused`).
// The workspaces are the packages of pnpm-workspace.yaml; a package's entries are its public
// `exports` (built paths mapped back to their `src` modules), the bundles its executables load, its
// tests, scripts and benches (knip adds `bin`, package.json scripts and tool configs itself).
import { existsSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import type { KnipConfig, WorkspaceProjectConfig } from "knip"
import { root, workspacePackages } from "./tooling/scripts/workspacePackages.mjs"

type Exports = string | null | { readonly [condition: string]: Exports }

/** The files an `exports` value points at, under every condition (`null` closes a path). */
const targets = (value: Exports): ReadonlyArray<string> =>
  value === null ? [] : typeof value === "string" ? [value] : Object.values(value).flatMap(targets)

/** `./dist/node/index.js` → `src/node/index.ts`; type declarations and data files are no entries. */
const sourceOf = (target: string): ReadonlyArray<string> => {
  const path = target.replace(/^\.\//, "")
  if (!/\.[cm]?[jt]s$/.test(path) || path.endsWith(".d.ts")) return []
  return [path.replace(/^dist\//, "src/").replace(/\.([cm]?)js$/, ".$1ts")]
}

/**
 * A package's public modules: the sources behind the built files of its `exports` (knip reads
 * `exports` that point at sources itself).
 */
const exportedSources = (dir: string): ReadonlyArray<string> => {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports?: Exports }
  const exports = manifest.exports ?? {}
  const paths = typeof exports === "object" && exports !== null ? Object.entries(exports) : [[".", exports] as const]
  const files = paths.filter(([key]) => key !== "./package.json").flatMap(([, value]) => targets(value))
  return [...new Set(files.filter((file) => file.startsWith("./dist/")).flatMap(sourceOf))]
}

/**
 * Bundles an executable in `bin/` loads from `dist/` by a path knip cannot follow (built by esbuild
 * in apps/cli/build.mjs, by tsc in apps/proxy).
 */
const builtEntries: Readonly<Record<string, ReadonlyArray<string>>> = {
  "apps/cli": ["src/main.ts", "src/fast.ts"],
  "apps/proxy": ["src/main.ts"]
}

/** Entries of every package, where the folder exists: tests (with their support files), scripts, benches. */
const sharedEntries: ReadonlyArray<readonly [folder: string, pattern: string]> = [
  ["test", "test/**/*.ts"],
  ["scripts", "scripts/**/*.mjs"],
  ["bench", "bench/**/*.{ts,mjs}"]
]

const workspaces: Record<string, WorkspaceProjectConfig> = {
  ".": {
    entry: ["tooling/scripts/*.{mjs,cjs}"],
    project: ["tooling/scripts/*.{mjs,cjs}"],
    ignoreDependencies: [
      // Linked at the root for their executables: `pnpm exec ipos-auth` and `pnpm exec ipos-auth-proxy`
      // from anywhere in the repository (README), and the root `start` walkthrough.
      "@ipos/auth-cli",
      "@ipos/auth-proxy",
      // Run by tooling/scripts/turbo.sh, which every root script goes through (knip does not read shell).
      "turbo"
    ]
  }
}
// Dependencies a package runs by resolving their CLI file (node <file>), which knip cannot follow.
const runByPath: Record<string, ReadonlyArray<string>> = {
  // tooling/consumer/src/Lint.ts resolves publint's and attw's CLI scripts and runs them on tarballs.
  "tooling/consumer": ["publint", "@arethetypeswrong/cli"]
}
for (const dir of workspacePackages()) {
  const name = relative(root, dir)
  const present = sharedEntries.filter(([folder]) => existsSync(join(dir, folder))).map(([, pattern]) => pattern)
  const entry = [...exportedSources(dir), ...(builtEntries[name] ?? []), ...present]
  const ignoreDependencies = [...(runByPath[name] ?? [])]
  workspaces[name] = existsSync(join(dir, "src"))
    ? { entry, project: ["src/**/*.{ts,js}", ...present, "*.{ts,mjs}"], ignoreDependencies }
    : { entry, ignoreDependencies }
}

const config: KnipConfig = {
  workspaces,
  // Generated from the spec (a "do not edit" folder): its exports are whatever the generators emit.
  ignore: ["**/src/generated/**"],
  // System programs the tests start, not npm packages: redis-server and openssl (packages/redis tests,
  // installed by tooling/scripts/ensure-redis.sh), util-linux `script` (a terminal for set-up's output).
  ignoreBinaries: ["redis-server", "openssl", "script"]
}

export default config
