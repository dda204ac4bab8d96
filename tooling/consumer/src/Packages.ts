/**
 * The workspace's packages as a consumer sees them: which are publishable (not `private`), and
 * what each offers through `exports` (the entries to import) and `bin` (the commands).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { workspacePackagesIn } from "../../scripts/workspacePackages.mjs"

/**
 * How an entry is loaded: `import()` of JavaScript, `import()` with `type: "json"`, a plain file to
 * resolve, or `blocked`: a subpath `exports` maps to `null`, which `import()` must refuse.
 */
type EntryKind = "module" | "json" | "file" | "blocked"

/**
 * One subpath of a package's `exports`, as a consumer names it.
 *
 * @example
 * const entry: Entry = { specifier: "@ipos/auth-core/node", kind: "module", typed: true }
 */
export interface Entry {
  readonly specifier: string
  readonly kind: EntryKind
  /** Whether a `types` condition comes with it (so `tsc` can check an import of it). */
  readonly typed: boolean
}

/** A workspace package, read from its `package.json`. */
export interface WorkspacePackage {
  readonly name: string
  readonly version: string
  readonly dir: string
  readonly private: boolean
  readonly entries: ReadonlyArray<Entry>
  /** Command names of `bin`. */
  readonly bins: ReadonlyArray<string>
}

interface Manifest {
  readonly name?: unknown
  readonly version?: unknown
  readonly private?: unknown
  readonly exports?: unknown
  readonly main?: unknown
  readonly bin?: unknown
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The file Node's `import` picks from a conditions object (or a plain target), and whether types come with it. */
const importTarget = (value: unknown): { readonly target: string; readonly typed: boolean } | undefined => {
  if (typeof value === "string") return { target: value, typed: false }
  if (!isRecord(value)) return undefined
  const typed = "types" in value
  for (const condition of ["import", "node", "default"]) {
    const inner = importTarget(value[condition])
    if (inner !== undefined) return { target: inner.target, typed: typed || inner.typed }
  }
  return undefined
}

const kindOf = (target: string): EntryKind =>
  /\.(?:m|c)?js$/.test(target) ? "module" : target.endsWith(".json") ? "json" : "file"

/**
 * The entries of a package's `exports` (or `main` when it has none). Subpath patterns (`*`) with
 * a target have no single file to load and are left out; a blocked subpath (`null`) is one
 * `blocked` entry, a pattern's `*` replaced by `probe`.
 *
 * @example
 * packageEntries("@ipos/auth-core", { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" }, "./internal/*": null })
 * // [{ specifier: "@ipos/auth-core", kind: "module", typed: true },
 * //  { specifier: "@ipos/auth-core/internal/probe", kind: "blocked", typed: false }]
 */
export const packageEntries = (name: string, exports: unknown, main?: unknown): ReadonlyArray<Entry> => {
  const subpaths: ReadonlyArray<readonly [string, unknown]> =
    exports === undefined
      ? typeof main === "string"
        ? [[".", main]]
        : []
      : isRecord(exports) && Object.keys(exports).some((key) => key.startsWith("."))
        ? Object.entries(exports)
        : [[".", exports]]
  return subpaths.flatMap(([subpath, value]): ReadonlyArray<Entry> => {
    const specifier = subpath === "." ? name : `${name}/${subpath.slice(2).replace("*", "probe")}`
    if (value === null) return [{ specifier, kind: "blocked", typed: false }]
    const resolved = subpath.includes("*") ? undefined : importTarget(value)
    return resolved === undefined ? [] : [{ specifier, kind: kindOf(resolved.target), typed: resolved.typed }]
  })
}

/**
 * The command names of a `bin` field (a string names the command after the package, without scope).
 *
 * @example
 * binNames("@ipos/auth-cli", { "ipos-auth": "./bin/ipos-auth.cjs" }) // ["ipos-auth"]
 */
export const binNames = (name: string, bin: unknown): ReadonlyArray<string> =>
  typeof bin === "string" ? [name.replace(/^@[^/]+\//, "")] : isRecord(bin) ? Object.keys(bin) : []

/**
 * Reads the package in `dir`.
 *
 * @example
 * readPackage("/repo/packages/core").name // "@ipos/auth-core"
 */
export const readPackage = (dir: string): WorkspacePackage => {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest
  if (typeof manifest.name !== "string" || typeof manifest.version !== "string") {
    throw new Error(`${join(dir, "package.json")} has no name or version`)
  }
  return {
    name: manifest.name,
    version: manifest.version,
    dir,
    private: manifest.private === true,
    entries: packageEntries(manifest.name, manifest.exports, manifest.main),
    bins: binNames(manifest.name, manifest.bin)
  }
}

/**
 * The publishable packages (not `private`) of the workspace at `root`, sorted by name.
 *
 * @example
 * publishablePackages("/repo").map((p) => p.name) // ["@ipos/auth-cli", "@ipos/auth-client", …]
 */
export const publishablePackages = (root: string): ReadonlyArray<WorkspacePackage> =>
  workspacePackagesIn(root)
    .map(readPackage)
    .filter((pkg) => !pkg.private)
    .sort((a, b) => a.name.localeCompare(b.name))
