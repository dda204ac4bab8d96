/**
 * The linters of packed packages: publint (package.json against the files packed) and Are the
 * Types Wrong (types as each resolution finds them), run on the tarballs pnpm packed.
 *
 * Versions (package.json): publint 0.3.25 and @arethetypeswrong/cli 0.18.5, the newest of each,
 * and both run on Node 20 (`engines`: publint `>=18`, attw `>=20`).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { attwCommand, type Command, publintCommand } from "./Commands.js"
import type { Tarball } from "./ConsumerProject.js"

/** The JavaScript entries of the tools the check runs with Node, installed in this package. */
export interface Tools {
  readonly tsc: string
  readonly publint: string
  readonly attw: string
}

/**
 * The file of `bin` in the package `pkg` installed under `packageDir`'s node_modules.
 *
 * @example
 * toolBin("/repo/tooling/consumer", "publint", "publint") // "/repo/tooling/consumer/node_modules/publint/src/cli.js"
 */
export const toolBin = (packageDir: string, pkg: string, bin: string): string => {
  const dir = join(packageDir, "node_modules", pkg)
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    bin?: string | Record<string, string>
  }
  const file = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[bin]
  if (file === undefined) throw new Error(`${pkg} has no bin ${bin}`)
  return join(dir, file)
}

/**
 * The tools of the check, from the package at `packageDir` (tooling/consumer).
 *
 * @example
 * tools("/repo/tooling/consumer").attw // "/repo/tooling/consumer/node_modules/@arethetypeswrong/cli/dist/index.js"
 */
export const tools = (packageDir: string): Tools => ({
  tsc: toolBin(packageDir, "typescript", "tsc"),
  publint: toolBin(packageDir, "publint", "publint"),
  attw: toolBin(packageDir, "@arethetypeswrong/cli", "attw")
})

/**
 * The lint steps of one tarball, named for the summary.
 *
 * @example
 * lintSteps("/node/bin/node", tools, tarball).map((s) => s.name) // ["publint @ipos/auth-core", "attw @ipos/auth-core"]
 */
export const lintSteps = (
  node: string,
  linters: Tools,
  tarball: Tarball
): ReadonlyArray<{ readonly name: string; readonly command: Command }> => [
  { name: `publint ${tarball.name}`, command: publintCommand(node, linters.publint, tarball.file) },
  { name: `attw ${tarball.name}`, command: attwCommand(node, linters.attw, tarball.file) }
]

/**
 * The passed step's note for attw's output: packages without types (bin-only, the spec) say so.
 *
 * @example
 * attwNote("This package does not contain types.\nDetails: …") // "no types"
 */
export const attwNote = (stdout: string): string => (stdout.includes("does not contain types") ? "no types" : "")
