// Which modules make up the page's JavaScript: bundles src/main.ts the way a browser gets it
// (esbuild, minified, ESM) with a metafile, and prints the gzipped total, the share of each
// package and the heaviest modules. Vite's own build (`pnpm build`) prints the shipped sizes;
// esbuild tree-shakes a little differently, so its totals differ slightly from Vite's.

import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { build } from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const top = Number(process.argv[2] ?? 15)

const bundle = async (stdin) => {
  const result = await build({
    stdin: { contents: stdin, resolveDir: root, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent"
  })
  const code = result.outputFiles[0].contents
  const inputs = Object.values(result.metafile.outputs)[0].inputs
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs }
}

// "node_modules/.pnpm/effect@4.1.0/node_modules/effect/dist/Schema.js" → package "effect", module "effect/Schema.js"
const place = (path) => {
  const normalized = path.replaceAll("\\", "/")
  const nm = normalized.lastIndexOf("node_modules/")
  if (nm >= 0) {
    const rest = normalized.slice(nm + "node_modules/".length).split("/")
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]
    const file = rest
      .slice(pkg.split("/").length)
      .filter((p) => p !== "dist" && p !== "esm")
      .join("/")
    return { pkg, module: `${pkg}/${file}` }
  }
  const match = /(packages|apps)\/([^/]+)\/(?:dist|src)\/(.*)$/.exec(normalized)
  if (match) {
    const pkg = { core: "@ipos/auth-core", client: "@ipos/auth-client", demo: "@ipos/auth-demo" }[match[2]] ?? match[2]
    return { pkg, module: `${pkg}/${match[3]}` }
  }
  // This app's own sources appear relative to it ("src/main.ts").
  if (normalized.startsWith("src/")) return { pkg: "@ipos/auth-demo", module: `@ipos/auth-demo/${normalized.slice(4)}` }
  return { pkg: "(other)", module: normalized }
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`
const report = (title, { bytes, gzip, inputs }) => {
  const byPkg = new Map()
  const modules = []
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const { pkg, module } = place(path)
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + bytesInOutput)
    modules.push([module, bytesInOutput])
  }
  console.log(`\n${title}: ${kB(bytes)} minified, ${kB(gzip)} gzipped (esbuild, gzip -9)`)
  console.log("  by package (minified bytes in the output):")
  for (const [pkg, n] of [...byPkg].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1])) {
    console.log(`    ${pkg.padEnd(22)} ${kB(n).padStart(9)}  ${((100 * n) / bytes).toFixed(1).padStart(5)} %`)
  }
  console.log(`  heaviest ${top} modules:`)
  for (const [module, n] of modules.sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`    ${module.padEnd(48)} ${kB(n).padStart(9)}`)
  }
}

report("the demo page (src/main.ts)", await bundle(`import "./src/main.ts"`))
report("the core's main entry alone (import * from @ipos/auth-core)", await bundle(`export * from "@ipos/auth-core"`))
