/**
 * Which packages are published and what a consumer can load from each: entries from `exports`
 * (patterns and blocked subpaths left out), commands from `bin`.
 */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { binNames, type Entry, packageEntries, publishablePackages, readPackage } from "../src/Packages.js"

const fixture = fileURLToPath(new URL("./fixtures/workspace", import.meta.url))

describe("packageEntries", () => {
  const cases: ReadonlyArray<readonly [string, { exports: unknown; main?: unknown; want: ReadonlyArray<Entry> }]> = [
    [
      "a conditions object with types is one typed module entry",
      {
        exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
        want: [{ specifier: "p", kind: "module", typed: true }]
      }
    ],
    [
      "a string is the main entry, untyped",
      { exports: "./index.js", want: [{ specifier: "p", kind: "module", typed: false }] }
    ],
    [
      "conditions without subpaths are the main entry",
      {
        exports: { import: "./index.mjs", types: "./index.d.ts" },
        want: [{ specifier: "p", kind: "module", typed: true }]
      }
    ],
    [
      "nested conditions: import under node, types inside",
      {
        exports: { "./node": { node: { types: "./n.d.ts", import: "./n.mjs" } } },
        want: [{ specifier: "p/node", kind: "module", typed: true }]
      }
    ],
    [
      "JSON and other files have their own kinds",
      {
        exports: { "./package.json": "./package.json", "./openapi.yaml": "./openapi.yaml" },
        want: [
          { specifier: "p/package.json", kind: "json", typed: false },
          { specifier: "p/openapi.yaml", kind: "file", typed: false }
        ]
      }
    ],
    ["patterns with a target are left out", { exports: { "./features/*": "./f/*.js" }, want: [] }],
    [
      "blocked subpaths are entries to be refused, a pattern's * named probe",
      {
        exports: { "./internal/*": null, "./gone": null },
        want: [
          { specifier: "p/internal/probe", kind: "blocked", typed: false },
          { specifier: "p/gone", kind: "blocked", typed: false }
        ]
      }
    ],
    ["a require-only entry has nothing for import", { exports: { ".": { require: "./index.cjs" } }, want: [] }],
    [
      "no exports: main",
      { exports: undefined, main: "./index.cjs", want: [{ specifier: "p", kind: "module", typed: false }] }
    ],
    ["no exports, no main: nothing", { exports: undefined, want: [] }]
  ]
  it.each(cases)("%s", (_, { exports, main, want }) => {
    expect(packageEntries("p", exports, main)).toEqual(want)
  })
})

describe("binNames", () => {
  it.each([
    ["an object names its commands", { a: "./a.js", b: "./b.js" }, ["a", "b"]],
    ["a string names the command after the package, without its scope", "./bin.js", ["single"]],
    ["no bin, no commands", undefined, []]
  ] as const)("%s", (_, bin, want) => {
    expect(binNames("@fixture/single", bin)).toEqual(want)
  })
})

describe("publishablePackages", () => {
  it("reads every workspace glob and keeps the packages that are not private, by name", () => {
    const found = publishablePackages(fixture).map(({ name, version, private: isPrivate, entries, bins }) => ({
      name,
      version,
      isPrivate,
      entries,
      bins
    }))
    expect(found).toEqual([
      {
        name: "@fixture/lib",
        version: "1.2.3",
        isPrivate: false,
        entries: [
          { specifier: "@fixture/lib", kind: "module", typed: true },
          { specifier: "@fixture/lib/node", kind: "module", typed: true },
          { specifier: "@fixture/lib/data.json", kind: "json", typed: false },
          { specifier: "@fixture/lib/internal/probe", kind: "blocked", typed: false },
          { specifier: "@fixture/lib/package.json", kind: "json", typed: false }
        ],
        bins: []
      },
      {
        name: "@fixture/single",
        version: "3.1.0",
        isPrivate: false,
        entries: [{ specifier: "@fixture/single", kind: "module", typed: false }],
        bins: ["single"]
      },
      {
        name: "@fixture/spec",
        version: "2.0.0",
        isPrivate: false,
        entries: [
          { specifier: "@fixture/spec/openapi.yaml", kind: "file", typed: false },
          { specifier: "@fixture/spec/package.json", kind: "json", typed: false }
        ],
        bins: []
      },
      { name: "@fixture/tool", version: "0.4.0", isPrivate: false, entries: [], bins: ["fixture-tool", "ft"] }
    ])
  })

  it("gives each package's directory", () => {
    expect(publishablePackages(fixture).map((p) => p.dir.slice(fixture.length))).toEqual([
      "/packages/lib",
      "/apps/single",
      "/spec",
      "/apps/tool"
    ])
  })

  it("finds this repository's packages, the private ones left out", () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url))
    const names = publishablePackages(root).map((p) => p.name)
    expect(names).toContain("@ipos/auth-core")
    expect(names).not.toContain("@ipos/consumer-check")
    expect(names).not.toContain("@ipos/testing")
  })
})

describe("readPackage", () => {
  it("refuses a package.json without a name or version", () => {
    const dir = fileURLToPath(new URL("./fixtures/nameless", import.meta.url))
    expect(() => readPackage(dir)).toThrow(`${dir}/package.json has no name or version`)
  })
})
