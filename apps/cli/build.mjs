// Bundles the CLI with esbuild into dist/:
//   fast.cjs + fast.cjs.cache  the fast path (token, refresh, decode) as one CommonJS bundle, and
//                              the V8 code cache of it that bin/fast-loader.cjs loads it with;
//   main.js (+ chunks)         the effect/cli program: help, version, completions, sandbox.
import { readFileSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { build } from "esbuild"

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"))
rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true })

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  define: { IPOS_AUTH_VERSION: JSON.stringify(version) },
  metafile: true,
  logLevel: "warning"
}
// No `import()` may survive in fast.cjs: it runs through vm.Script, which has no dynamic-import
// hook (the https transport loads node:https lazily, for one).
const fast = await build({
  ...common,
  entryPoints: ["src/fast.ts"],
  outfile: "dist/fast.cjs",
  format: "cjs",
  supported: { "dynamic-import": false }
})
if (/\bimport\(/.test(readFileSync("dist/fast.cjs", "utf8"))) throw new Error("dist/fast.cjs still contains import()")
const main = await build({
  ...common,
  entryPoints: { main: "src/main.ts" },
  outdir: "dist",
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]"
})

// The cache records what V8 compiled while the bundle and all its modules loaded here.
const loaded = createRequire(import.meta.url)("./bin/fast-loader.cjs").loadFast({ fresh: true })
await loaded.warm()
loaded.saveCache()

const sizes = { ...fast.metafile.outputs, ...main.metafile.outputs }
for (const [file, output] of Object.entries(sizes).filter(([f]) => /\.(c?js)$/.test(f))) {
  console.log(`${file.padEnd(40)} ${(output.bytes / 1024).toFixed(1).padStart(7)} kB`)
}
console.log(
  `dist/fast.cjs.cache ${" ".repeat(20)} ${(readFileSync("dist/fast.cjs.cache").byteLength / 1024).toFixed(1).padStart(7)} kB`
)
