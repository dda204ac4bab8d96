// Fails when a workspace package does not state the supported Node range of the root package.json
// in its `engines` (the range setup.sh enforces and CI tests: the machine's Node 20 and Node 24).
import { readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { root, workspacePackages } from "./workspacePackages.mjs"

const read = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
const range = read(root).engines?.node
const packages = workspacePackages()
const wrong = packages.filter((dir) => read(dir).engines?.node !== range)
if (range === undefined || packages.length === 0 || wrong.length > 0) {
  const where = wrong.map((dir) => `${relative(root, dir)}/package.json`).join(", ")
  console.error(`engines.node must be "${range}" (the root package.json's) in every workspace package: ${where}`)
  process.exit(1)
}
console.log(`engines.node is "${range}" in the root and ${packages.length} workspace packages`)
