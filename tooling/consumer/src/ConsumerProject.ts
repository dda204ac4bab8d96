/**
 * The temporary consumer project, outside the workspace (under the OS's temporary directory): its
 * `package.json` naming only the packed tarballs, its two tsconfigs, the entries to load and to
 * type-check, and the programs of `../project/` copied in.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Entry } from "./Packages.js"

/**
 * A packed package.
 *
 * @example
 * const tarball: Tarball = { name: "@ipos/auth-core", version: "0.1.0", file: "/tmp/x/tarballs/ipos-auth-core-0.1.0.tgz", bytes: 174_752 }
 */
export interface Tarball {
  readonly name: string
  readonly version: string
  readonly file: string
  readonly bytes: number
}

/** The module resolutions a consumer's TypeScript may use (one tsconfig each). */
export type Resolution = "node16" | "bundler"

/** The folder of the consumer's programs and TypeScript, copied into the project. */
const templateDir = new URL("../project/", import.meta.url)

/**
 * The consumer project's `package.json`: every package from its tarball, and the same tarballs as
 * `overrides`, so that a package depending on another (core on client) gets the packed one and npm
 * never asks the registry for an `@ipos` name. `@types/node` is the consumer's own, as in a Node
 * project.
 *
 * @example
 * projectManifest([{ name: "a", version: "1.0.0", file: "/t/a-1.0.0.tgz", bytes: 1 }], "20.19.43").dependencies
 * // { a: "file:/t/a-1.0.0.tgz" }
 */
export const projectManifest = (tarballs: ReadonlyArray<Tarball>, typesNode: string) => {
  const dependencies = Object.fromEntries(tarballs.map((t) => [t.name, `file:${t.file}`]))
  return {
    name: "ipos-consumer-check",
    private: true,
    type: "module",
    dependencies,
    devDependencies: { "@types/node": typesNode },
    overrides: dependencies
  }
}

/**
 * A consumer's tsconfig. `node16` is a Node service's: no DOM, strictest options, and
 * `skipLibCheck` as such projects set it (Effect's own declarations name DOM types). `bundler` is
 * a web app's: DOM included, and every declaration file checked (`skipLibCheck: false`).
 *
 * @example
 * tsconfig("node16").compilerOptions.moduleResolution // "node16"
 */
export const tsconfig = (resolution: Resolution) => ({
  compilerOptions: {
    target: "ES2022",
    ...(resolution === "node16"
      ? {
          module: "node16",
          moduleResolution: "node16",
          lib: ["ES2023"],
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true
        }
      : { module: "esnext", moduleResolution: "bundler", lib: ["ES2023", "DOM", "DOM.Iterable"], skipLibCheck: false }),
    types: ["node"],
    strict: true,
    verbatimModuleSyntax: true,
    noEmit: true
  },
  files: ["consumer.ts", "entries.ts"]
})

/**
 * A TypeScript module importing every typed module entry as a namespace, so that `tsc` resolves
 * each entry's types under both resolutions (consumer.ts covers the usual names).
 *
 * @example
 * entriesModule([{ specifier: "a/b", kind: "module", typed: true }])
 * // 'import * as entry0 from "a/b"\n\nexport const entries = [entry0]\n'
 */
export const entriesModule = (entries: ReadonlyArray<Entry>): string => {
  const typed = entries.filter((e) => e.typed && e.kind === "module")
  const imports = typed.map((e, i) => `import * as entry${i} from ${JSON.stringify(e.specifier)}`)
  return `${imports.join("\n")}\n\nexport const entries = [${typed.map((_, i) => `entry${i}`).join(", ")}]\n`
}

/**
 * Creates the work directory in the OS's temporary directory (outside the workspace, so nothing
 * resolves through the workspace's node_modules), with `tarballs/` and `project/` in it.
 *
 * @example
 * const work = makeWorkDir() // { root: "/tmp/ipos-consumer-Ab12", tarballs: "…/tarballs", project: "…/project" }
 */
export const makeWorkDir = () => {
  const root = mkdtempSync(join(tmpdir(), "ipos-consumer-"))
  const dirs = { root, tarballs: join(root, "tarballs"), project: join(root, "project") }
  mkdirSync(dirs.tarballs)
  mkdirSync(dirs.project)
  return dirs
}

/**
 * Writes the consumer project into `dir`: package.json, the tsconfigs, entries.json (read by
 * imports.mjs), entries.ts, and the files of `templateDir`.
 *
 * @example
 * writeProject(work.project, tarballs, entries, "20.19.43")
 */
export const writeProject = (
  dir: string,
  tarballs: ReadonlyArray<Tarball>,
  entries: ReadonlyArray<Entry>,
  typesNode: string
): void => {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
  writeFileSync(join(dir, "package.json"), json(projectManifest(tarballs, typesNode)))
  for (const resolution of ["node16", "bundler"] as const) {
    writeFileSync(join(dir, `tsconfig.${resolution}.json`), json(tsconfig(resolution)))
  }
  writeFileSync(join(dir, "entries.json"), json(entries))
  writeFileSync(join(dir, "entries.ts"), entriesModule(entries))
  for (const file of readdirSync(templateDir)) copyFileSync(new URL(file, templateDir), join(dir, file))
}

/**
 * Removes the work directory and everything in it.
 *
 * @example
 * removeWorkDir(work.root)
 */
export const removeWorkDir = (root: string): void => rmSync(root, { recursive: true, force: true })
