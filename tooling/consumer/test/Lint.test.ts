/** The linters' entries and steps. */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { publintCommand } from "../src/Commands.js"
import { attwNote, lintSteps, toolBin, tools } from "../src/Lint.js"

const packageDir = fileURLToPath(new URL("..", import.meta.url))

describe("tools", () => {
  it("finds each tool's JavaScript entry from its package.json bin", () => {
    const found = tools(packageDir)
    expect(found.publint.slice(packageDir.length)).toBe("node_modules/publint/src/cli.js")
    expect(found.attw.slice(packageDir.length)).toBe("node_modules/@arethetypeswrong/cli/dist/index.js")
    expect(found.tsc.slice(packageDir.length)).toBe("node_modules/typescript/bin/tsc")
    for (const file of Object.values(found)) expect(existsSync(file)).toBe(true)
  })

  it("says when a package has no such bin", () => {
    expect(() => toolBin(packageDir, "typescript", "nope")).toThrow("typescript has no bin nope")
  })
})

describe("lintSteps", () => {
  it("runs publint and attw on the tarball, named for the package", () => {
    const linters = { tsc: "/t/tsc", publint: "/t/publint.js", attw: "/t/attw.js" }
    const tarball = {
      name: "@ipos/auth-core",
      version: "0.1.0",
      file: "/w/tarballs/ipos-auth-core-0.1.0.tgz",
      bytes: 1
    }
    const steps = lintSteps("/node/bin/node", linters, tarball)
    expect(steps.map((s) => s.name)).toEqual(["publint @ipos/auth-core", "attw @ipos/auth-core"])
    expect(steps[0]?.command).toEqual(publintCommand("/node/bin/node", "/t/publint.js", tarball.file))
    expect(steps[1]?.command.args).toEqual([
      "/t/attw.js",
      "/w/tarballs/ipos-auth-core-0.1.0.tgz",
      "--profile",
      "esm-only",
      "--format",
      "ascii"
    ])
  })
})

describe("attwNote", () => {
  it.each([
    [
      "a package without types (a bin, the spec)",
      'This package does not contain types.\nDetails: {\n  "types": false\n}',
      "no types"
    ],
    ["a typed package", '"@ipos/auth-core"\nnode16 (from ESM): 🟢 (ESM)', ""]
  ])("%s", (_, stdout, want) => {
    expect(attwNote(stdout)).toBe(want)
  })
})
