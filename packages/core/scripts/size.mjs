// The browser size budget of @ipos/auth-core: bundles what a browser user imports
// (`createTokenManager` from the main entry, `readJwt` from `/JwtReader`, `decodeJwt` from `/Jwt`)
// the way a bundler ships it (esbuild, platform browser, minified, ESM), prints the share of each
// group of modules and the heaviest modules, and compares the gzipped and minified totals with
// `size-budget.json`. Exit 0 within budget, 1 over budget, 2 when the bundle cannot be built.
//
// esbuild is pinned to the version the workspace already uses (0.28.2, runs on Node 20).

import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { gzipSync } from "node:zlib"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")

/** What a browser user imports, as one entry (sources, so no build of core is needed). */
export const entry = [
  `export { createTokenManager } from "./src/index.ts"`,
  `export { readJwt } from "./src/JwtReader.ts"`,
  `export { decodeJwt } from "./src/Jwt.ts"`
].join("\n")

const effectGroups = [
  [/^(Schema[A-Za-z]*|internal\/schema\/.*)\.js$/, "effect schema"],
  [/^(PubSub|Stream|Channel|Sink|Pull|internal\/(stream|channel|sink|pubsub)[^/]*)\.js$/, "effect stream/pubsub"],
  [/^(Config|ConfigProvider)\.js$/, "effect config"]
]

/** The group a module of the bundle belongs to, from its path in esbuild's metafile. */
export const groupOf = (path) => {
  const normalized = path.replaceAll("\\", "/")
  const effect = /node_modules\/effect\/dist\/(.*)$/.exec(normalized)
  if (effect) return effectGroups.find(([pattern]) => pattern.test(effect[1]))?.[1] ?? "effect core"
  if (/node_modules\/openapi-fetch\//.test(normalized)) return "openapi-fetch"
  if (/(^|\/)client\/(dist|src)\//.test(normalized)) return "@ipos/auth-client"
  if (/node_modules\//.test(normalized)) return "other packages"
  return "@ipos/auth-core"
}

/** A readable module name: `effect/Schema.js`, `@ipos/auth-core/src/internal/manager.ts`. */
export const moduleName = (path) => {
  const normalized = path.replaceAll("\\", "/")
  const nm = normalized.lastIndexOf("node_modules/")
  if (nm >= 0) return normalized.slice(nm + "node_modules/".length).replace("/dist/", "/")
  const sibling = /(?:^|\/)(client|core)\/((?:dist|src)\/.*)$/.exec(normalized)
  if (sibling) return `@ipos/auth-${sibling[1]}/${sibling[2]}`
  return `@ipos/auth-core/${normalized}`
}

/**
 * Compares measured totals with the budget: every figure the budget names must be at most its
 * limit. Returns the lines to print and whether the bundle fits.
 */
export const verdict = (totals, budget) => {
  const checks = [
    ["gzip", "gzipped", totals.gzip, budget.gzip],
    ["minified", "minified", totals.minified, budget.minified]
  ].filter(([, , , limit]) => typeof limit === "number")
  const lines = checks.map(
    ([, label, bytes, limit]) =>
      `${label.padEnd(9)} ${String(bytes).padStart(7)} B  budget ${String(limit).padStart(7)} B  ${bytes <= limit ? "ok" : `OVER by ${bytes - limit} B`}`
  )
  return { ok: checks.length > 0 && checks.every(([, , bytes, limit]) => bytes <= limit), lines }
}

/** Groups the metafile's inputs: bytes per group and per module, heaviest first. */
export const breakdown = (inputs) => {
  const groups = new Map()
  const modules = []
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    if (bytesInOutput === 0) continue
    const group = groupOf(path)
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput)
    modules.push([moduleName(path), bytesInOutput])
  }
  const heaviestFirst = (a, b) => b[1] - a[1]
  return { groups: [...groups].sort(heaviestFirst), modules: modules.sort(heaviestFirst) }
}

const bundle = async () => {
  const { build } = await import("esbuild")
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: "ts", sourcefile: "browser-entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: "silent"
  })
  const code = result.outputFiles[0].contents
  return {
    totals: { minified: code.length, gzip: gzipSync(code, { level: 9 }).length },
    inputs: Object.values(result.metafile.outputs)[0].inputs
  }
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`

const main = async () => {
  const budgetFile = process.argv[2] ?? join(root, "size-budget.json")
  const top = Number(process.env.SIZE_TOP ?? 15)
  let measured
  try {
    measured = await bundle()
  } catch (error) {
    console.error(
      `check:size: the browser bundle could not be built: ${error instanceof Error ? error.message : error}`
    )
    return 2
  }
  const budget = JSON.parse(readFileSync(budgetFile, "utf8"))
  const { groups, modules } = breakdown(measured.inputs)
  const { minified } = measured.totals
  console.log("@ipos/auth-core in a browser (createTokenManager, readJwt, decodeJwt; esbuild, minified, gzip -9)")
  console.log("  by group (minified bytes in the output):")
  for (const [group, n] of groups) {
    console.log(`    ${group.padEnd(22)} ${kB(n).padStart(9)}  ${((100 * n) / minified).toFixed(1).padStart(5)} %`)
  }
  console.log(`  heaviest ${top} modules:`)
  for (const [name, n] of modules.slice(0, top)) console.log(`    ${name.padEnd(52)} ${kB(n).padStart(9)}`)
  const { ok, lines } = verdict(measured.totals, budget)
  for (const line of lines) console.log(`  ${line}`)
  if (!ok) console.error("check:size: over the browser size budget (packages/core/size-budget.json)")
  return ok ? 0 : 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main()
}
