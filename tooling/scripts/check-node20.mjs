// Fails when code that can run on Node 20 would load undici 8, which crashes there as it loads
// (`zlib.createZstdDecompress` is Node 22+). `@effect/platform-node` 4.1 depends on undici 8: its
// `Undici` module and its main entry (which re-exports `Undici`) load it; `NodeHttpClient` loads it
// lazily for its undici layers (its `layerNodeHttp`, over node:http, is fine). Nothing in the
// workspace may import those or use those layers, nor undici 8 itself (undici 7 is fine), and no
// bundle in a `dist` may contain undici 8. Tests catch only the paths they run; this reads every
// source, test, script and bundle of every workspace package.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, relative } from "node:path"
import { root, workspacePackages } from "./workspacePackages.mjs"

const packages = workspacePackages()
const skip = new Set(["node_modules", ".turbo", "coverage", ".cache"])
const files = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        skip.has(entry.name) ? [] : entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]
      )
    : []

/** The major version of `undici` as `pkg` resolves it, or undefined when it does not. */
const undiciMajor = (pkg) => {
  try {
    const manifest = createRequire(join(pkg, "package.json")).resolve("undici/package.json")
    return Number(JSON.parse(readFileSync(manifest, "utf8")).version.split(".")[0])
  } catch {
    return undefined
  }
}

const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm
const undiciLayers = /\b(?:layerUndici\w*|makeUndici|makeDispatcher\w*|layerDispatcher\w*|dispatcherLayerGlobal)\b/
const crashes = (name, pkg, text) =>
  name === "@effect/platform-node" ||
  name === "@effect/platform-node/Undici" ||
  (name === "@effect/platform-node/NodeHttpClient" && undiciLayers.test(text)) ||
  ((name === "undici" || name.startsWith("undici/")) && (undiciMajor(pkg) ?? 8) >= 8)

const problems = []
for (const pkg of packages) {
  for (const file of files(pkg)) {
    const where = relative(root, file)
    if (/\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/.test(file) && !file.endsWith(".d.ts")) {
      const text = readFileSync(file, "utf8")
      for (const [, name] of text.matchAll(specifier)) {
        if (crashes(name, pkg, text)) problems.push(`${where} loads ${name}`)
      }
    } else if (file.endsWith(".map")) {
      const sources = JSON.parse(readFileSync(file, "utf8")).sources ?? []
      const bundled = sources.find((source) => /node_modules\/(?:\.pnpm\/undici@(?:[89]|\d\d)|undici\/)/.test(source))
      if (bundled !== undefined) problems.push(`${where} bundles ${bundled}`)
    }
  }
}
if (problems.length > 0) {
  console.error(`undici 8 crashes on Node 20, the floor of the supported range:\n  ${problems.join("\n  ")}`)
  process.exit(1)
}
console.log(`no undici 8 on a Node 20 path (${packages.length} workspace packages, sources and bundles)`)
