/** The consumer project: what it installs, how it type-checks, where it lives. */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, sep } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import {
  entriesModule,
  makeWorkDir,
  projectManifest,
  removeWorkDir,
  type Tarball,
  tsconfig,
  writeProject
} from "../src/ConsumerProject.js"
import type { Entry } from "../src/Packages.js"

const tarballs: ReadonlyArray<Tarball> = [
  { name: "@ipos/auth-client", version: "0.1.0", file: "/t/ipos-auth-client-0.1.0.tgz", bytes: 46_563 },
  { name: "@ipos/auth-core", version: "0.1.0", file: "/t/ipos-auth-core-0.1.0.tgz", bytes: 174_752 }
]
const entries: ReadonlyArray<Entry> = [
  { specifier: "@ipos/auth-core", kind: "module", typed: true },
  { specifier: "@ipos/auth-core/package.json", kind: "json", typed: false },
  { specifier: "@ipos/auth-spec/openapi.yaml", kind: "file", typed: false },
  { specifier: "@ipos/auth-core/node", kind: "module", typed: true },
  { specifier: "@ipos/auth-core/internal/probe", kind: "blocked", typed: false },
  { specifier: "plain", kind: "module", typed: false }
]

describe("projectManifest", () => {
  it("installs every package from its tarball, and overrides the same names so nothing comes from a registry", () => {
    expect(projectManifest(tarballs, "20.19.43")).toEqual({
      name: "ipos-consumer-check",
      private: true,
      type: "module",
      dependencies: {
        "@ipos/auth-client": "file:/t/ipos-auth-client-0.1.0.tgz",
        "@ipos/auth-core": "file:/t/ipos-auth-core-0.1.0.tgz"
      },
      devDependencies: { "@types/node": "20.19.43" },
      overrides: {
        "@ipos/auth-client": "file:/t/ipos-auth-client-0.1.0.tgz",
        "@ipos/auth-core": "file:/t/ipos-auth-core-0.1.0.tgz"
      }
    })
  })
})

describe("tsconfig", () => {
  it("node16: a Node service's settings, no DOM", () => {
    expect(tsconfig("node16")).toEqual({
      compilerOptions: {
        target: "ES2022",
        module: "node16",
        moduleResolution: "node16",
        lib: ["ES2023"],
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        types: ["node"],
        strict: true,
        verbatimModuleSyntax: true,
        noEmit: true
      },
      files: ["consumer.ts", "entries.ts"]
    })
  })

  it("bundler: a web app's settings, every declaration file checked", () => {
    expect(tsconfig("bundler")).toEqual({
      compilerOptions: {
        target: "ES2022",
        module: "esnext",
        moduleResolution: "bundler",
        lib: ["ES2023", "DOM", "DOM.Iterable"],
        skipLibCheck: false,
        types: ["node"],
        strict: true,
        verbatimModuleSyntax: true,
        noEmit: true
      },
      files: ["consumer.ts", "entries.ts"]
    })
  })
})

describe("entriesModule", () => {
  it("imports each typed JavaScript entry as a namespace (not JSON, files, blocked or untyped entries)", () => {
    expect(entriesModule(entries)).toBe(
      [
        'import * as entry0 from "@ipos/auth-core"',
        'import * as entry1 from "@ipos/auth-core/node"',
        "",
        "export const entries = [entry0, entry1]",
        ""
      ].join("\n")
    )
  })
})

describe("the work directory", () => {
  it("is in the OS's temporary directory, outside the repository, and is removed whole", () => {
    const work = makeWorkDir()
    const repo = fileURLToPath(new URL("../../..", import.meta.url))
    try {
      expect(work.root.startsWith(`${tmpdir()}${sep}ipos-consumer-`)).toBe(true)
      expect(work.root.startsWith(repo)).toBe(false)
      expect(readdirSync(work.root).sort()).toEqual(["project", "tarballs"])
    } finally {
      removeWorkDir(work.root)
    }
    expect(existsSync(work.root)).toBe(false)
  })

  it("gets the project's files: manifest, tsconfigs, entries and the consumer's programs", () => {
    const work = makeWorkDir()
    try {
      writeProject(work.project, tarballs, entries, "20.19.43")
      expect(readdirSync(work.project).sort()).toEqual([
        "consumer.ts",
        "entries.json",
        "entries.ts",
        "imports.mjs",
        "package.json",
        "sandbox-token.mjs",
        "tsconfig.bundler.json",
        "tsconfig.node16.json"
      ])
      const read = (file: string) => JSON.parse(readFileSync(join(work.project, file), "utf8")) as unknown
      expect(read("package.json")).toEqual(projectManifest(tarballs, "20.19.43"))
      expect(read("tsconfig.node16.json")).toEqual(tsconfig("node16"))
      expect(read("entries.json")).toEqual(entries)
    } finally {
      removeWorkDir(work.root)
    }
  })
})
