// Bundles the CLI into dist/ with esbuild: one small entry (the router) and a chunk per path
// (fast token/refresh, decode, the effect/cli program), so each command loads only what it uses.
import { readFileSync, rmSync } from "node:fs"
import { build } from "esbuild"

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"))
rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true })

const result = await build({
  entryPoints: { "ipos-auth": "src/ipos-auth.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  define: { IPOS_AUTH_VERSION: JSON.stringify(version) },
  metafile: true,
  logLevel: "warning"
})
const outputs = Object.entries(result.metafile.outputs).filter(
  ([file]) => file.endsWith(".js") || file.endsWith(".mjs")
)
for (const [file, output] of outputs)
  console.log(`${file.padEnd(44)} ${(output.bytes / 1024).toFixed(1).padStart(7)} kB`)
