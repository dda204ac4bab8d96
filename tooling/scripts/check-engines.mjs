// Fails when a workspace package does not state the supported Node range of the root package.json
// in its `engines` (the range setup.sh enforces and CI tests: the machine's Node 20 and Node 24).
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..")
const read = (dir) => JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"))
const range = read(".").engines?.node
// The `packages:` globs of pnpm-workspace.yaml: single directories and `dir/*`.
const workspace = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")
const block = /^packages:\n((?:[ \t]+.*\n)*)/m.exec(workspace)?.[1] ?? ""
const globs = [...block.matchAll(/^\s+- ["']?([^"'\s]+)["']?$/gm)].map((m) => m[1])
const packages = globs.flatMap((glob) =>
  glob.endsWith("/*")
    ? readdirSync(join(root, glob.slice(0, -2)), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(root, glob.slice(0, -2), entry.name, "package.json")))
        .map((entry) => `${glob.slice(0, -2)}/${entry.name}`)
    : [glob]
)
const wrong = packages.filter((dir) => read(dir).engines?.node !== range)
if (range === undefined || packages.length === 0 || wrong.length > 0) {
  const where = wrong.map((dir) => `${dir}/package.json`).join(", ")
  console.error(`engines.node must be "${range}" (the root package.json's) in every workspace package: ${where}`)
  process.exit(1)
}
console.log(`engines.node is "${range}" in the root and ${packages.length} workspace packages`)
