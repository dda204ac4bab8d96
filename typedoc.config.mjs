// TypeDoc for the public entries of the published libraries.
//   pnpm run docs        the API reference into docs/api/ (git-ignored)
//   pnpm run check:docs  the same with every warning an error: a public symbol without a doc
//                        comment, a broken {@link} or a type that is used but not exported fails
// typedoc 0.28 is pinned: it runs on Node 20 and supports TypeScript 5.9 (0.28.20 is the newest).
// Each package's typedoc.json lists its entry points; they must be exactly the files behind its
// package.json "exports", so this config refuses to run when the two disagree.
import { readFileSync } from "node:fs"
import { join, normalize } from "node:path"
import { OptionDefaults } from "typedoc"

const packages = ["packages/core", "packages/client", "packages/sandbox"]

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"))

// "./dist/node/index.d.ts" -> "src/node/index.ts": the source of what an export ships.
const sourceOf = (types) => normalize(types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts"))

const exportedSources = (manifest) =>
  Object.entries(manifest.exports)
    .filter(([subpath, target]) => subpath !== "./package.json" && target !== null)
    .map(([subpath, target]) => {
      if (typeof target?.types !== "string") throw new Error(`${manifest.name}: export "${subpath}" has no "types"`)
      return sourceOf(target.types)
    })

for (const dir of packages) {
  const manifest = readJson(join(dir, "package.json"))
  const exported = new Set(exportedSources(manifest))
  const documented = new Set(readJson(join(dir, "typedoc.json")).entryPoints.map((p) => normalize(p)))
  const missing = [...exported].filter((p) => !documented.has(p))
  const extra = [...documented].filter((p) => !exported.has(p))
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `${dir}/typedoc.json entryPoints differ from the package.json exports of ${manifest.name}:` +
        missing.map((p) => `\n  exported but not documented: ${p}`).join("") +
        extra.map((p) => `\n  documented but not exported: ${p}`).join("")
    )
  }
}

// Validation runs per package in packages mode, so it is set at both levels (treatWarningsAsErrors
// only counts at the root, which fails on any package's warning).
const strict = {
  validation: { notExported: true, invalidLink: true, invalidPath: true, rewrittenLink: true, notDocumented: true },
  // Every declaration a caller names needs a comment; plain data properties of option and result
  // objects are described by the comment on their interface or type.
  requiredToBeDocumented: [
    "Enum",
    "EnumMember",
    "Variable",
    "Function",
    "Class",
    "Interface",
    "Method",
    "Accessor",
    "TypeAlias",
    "Namespace"
  ]
}

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "iPOSpays auth toolkit",
  entryPointStrategy: "packages",
  entryPoints: packages,
  out: "docs/api",
  readme: "none",
  treatWarningsAsErrors: true,
  ...strict,
  packageOptions: {
    ...strict,
    // openapi-typescript writes the spec's descriptions and constants as JSDoc tags.
    blockTags: [...OptionDefaults.blockTags, "@description", "@constant"],
    includeVersion: true,
    // No "Defined in" source links: they need a public git remote, and a clone's may be a local
    // path or a fork, which TypeDoc reports as a warning (an error here).
    disableSources: true,
    excludePrivate: true,
    excludeInternal: true,
    sort: ["kind", "alphabetical"]
  }
}
