import { execFile } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { breakdown, groupOf, moduleName, verdict } from "../../scripts/size.mjs"

const script = fileURLToPath(new URL("../../scripts/size.mjs", import.meta.url))

describe("verdict", () => {
  it.each([
    ["both under", { gzip: 100, minified: 300 }, true],
    ["both exactly at the limit", { gzip: 120, minified: 400 }, true],
    ["gzip over", { gzip: 121, minified: 300 }, false],
    ["minified over", { gzip: 100, minified: 401 }, false]
  ])("%s", (_, totals, ok) => {
    expect(verdict(totals, { gzip: 120, minified: 400 }).ok).toBe(ok)
  })

  it("says by how much a figure is over", () => {
    expect(verdict({ gzip: 125, minified: 300 }, { gzip: 120, minified: 400 }).lines).toEqual([
      "gzipped       125 B  budget     120 B  OVER by 5 B",
      "minified      300 B  budget     400 B  ok"
    ])
  })

  it("checks only the figures the budget names, and fails an empty budget", () => {
    expect(verdict({ gzip: 100, minified: 9999 }, { gzip: 120 })).toEqual({
      ok: true,
      lines: ["gzipped       100 B  budget     120 B  ok"]
    })
    expect(verdict({ gzip: 100, minified: 300 }, {}).ok).toBe(false)
  })
})

describe("breakdown", () => {
  it("groups modules and lists them heaviest first, leaving out what tree-shaking dropped", () => {
    const nm = "../../node_modules/.pnpm/effect@4.1.0/node_modules/effect/dist"
    expect(
      breakdown({
        [`${nm}/internal/effect.js`]: { bytesInOutput: 300 },
        [`${nm}/SchemaAST.js`]: { bytesInOutput: 200 },
        [`${nm}/PubSub.js`]: { bytesInOutput: 0 },
        "src/internal/manager.ts": { bytesInOutput: 250 },
        "../client/dist/index.js": { bytesInOutput: 20 }
      })
    ).toEqual({
      groups: [
        ["effect core", 300],
        ["@ipos/auth-core", 250],
        ["effect schema", 200],
        ["@ipos/auth-client", 20]
      ],
      modules: [
        ["effect/internal/effect.js", 300],
        ["@ipos/auth-core/src/internal/manager.ts", 250],
        ["effect/SchemaAST.js", 200],
        ["@ipos/auth-client/dist/index.js", 20]
      ]
    })
  })

  it.each([
    ["node_modules/effect/dist/Schema.js", "effect schema"],
    ["node_modules/effect/dist/internal/schema/parser.js", "effect schema"],
    ["node_modules/effect/dist/PubSub.js", "effect stream/pubsub"],
    ["node_modules/effect/dist/Stream.js", "effect stream/pubsub"],
    ["node_modules/effect/dist/ConfigProvider.js", "effect config"],
    ["node_modules/effect/dist/Queue.js", "effect core"],
    ["node_modules/.pnpm/openapi-fetch@0.17.0/node_modules/openapi-fetch/dist/index.mjs", "openapi-fetch"],
    ["src/Jwt.ts", "@ipos/auth-core"]
  ])("%s is %s", (path, group) => {
    expect(groupOf(path)).toBe(group)
  })

  it("names modules by package", () => {
    expect(moduleName("../../node_modules/.pnpm/effect@4.1.0/node_modules/effect/dist/Schema.js")).toBe(
      "effect/Schema.js"
    )
    expect(moduleName("src/Jwt.ts")).toBe("@ipos/auth-core/src/Jwt.ts")
  })
})

const run = (budget: object) => {
  const dir = mkdtempSync(join(tmpdir(), "size-budget-"))
  const file = join(dir, "size-budget.json")
  writeFileSync(file, JSON.stringify(budget))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [script, file], (_, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr })
    )
  })
}

describe("the script", () => {
  it("exits 1 over budget, naming the groups and the overrun", async () => {
    const { code, stdout, stderr } = await run({ gzip: 1, minified: 1 })
    expect(code).toBe(1)
    expect(stdout).toContain("by group")
    expect(stdout).toContain("effect core")
    expect(stdout).toContain("@ipos/auth-core")
    expect(stdout).toMatch(/gzipped +\d+ B {2}budget +1 B {2}OVER by \d+ B/)
    expect(stderr).toContain("over the browser size budget")
  }, 60_000)

  it("exits 0 within budget", async () => {
    const { code, stdout } = await run({ gzip: 10_000_000, minified: 10_000_000 })
    expect(code).toBe(0)
    expect(stdout).toMatch(/gzipped +\d+ B {2}budget 10000000 B {2}ok/)
  }, 60_000)
})
