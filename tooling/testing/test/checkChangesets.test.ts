/**
 * tooling/scripts/check-changesets.mjs (`npm run check:changesets`): a published package changed
 * since the merge base with main (on a branch) or since the last release (on main) needs a
 * changeset naming it. The rules (changesetRules.mjs) on plain values, then the script on
 * throwaway git repositories.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import {
  manifestChanged,
  newest,
  parseChangeset,
  releaseTag,
  shipsToUsers,
  uncovered
} from "../../scripts/changesetRules.mjs"

const script = fileURLToPath(new URL("../../scripts/check-changesets.mjs", import.meta.url))

describe("parseChangeset", () => {
  const cases: ReadonlyArray<readonly [string, { given: string; want: ReturnType<typeof parseChangeset> }]> = [
    [
      "reads quoted names, bump levels and the text",
      {
        given: '---\n"@ipos/auth-core": minor\n"@ipos/auth-cli": patch\n---\n\nText for users.\n',
        want: {
          releases: [
            { name: "@ipos/auth-core", type: "minor" },
            { name: "@ipos/auth-cli", type: "patch" }
          ],
          summary: "Text for users.",
          problems: []
        }
      }
    ],
    [
      "reads single-quoted and bare names, bump none and CRLF line ends",
      {
        given: "---\r\n'@ipos/auth-spec': none\r\nplain: major\r\n---\r\nWhy.\r\n",
        want: {
          releases: [
            { name: "@ipos/auth-spec", type: "none" },
            { name: "plain", type: "major" }
          ],
          summary: "Why.",
          problems: []
        }
      }
    ],
    [
      "names a bump level that does not exist",
      {
        given: '---\n"@ipos/auth-core": minr\n---\n\nText.\n',
        want: {
          releases: [],
          summary: "Text.",
          problems: ['"@ipos/auth-core" has bump "minr" (major, minor, patch or none)']
        }
      }
    ],
    [
      "refuses a changeset without text",
      {
        given: '---\n"@ipos/auth-core": patch\n---\n',
        want: {
          releases: [{ name: "@ipos/auth-core", type: "patch" }],
          summary: "",
          problems: ["no text for the CHANGELOG"]
        }
      }
    ],
    [
      "refuses a file without front matter",
      { given: "Just text.\n", want: { releases: [], summary: "", problems: ["no front matter (--- … ---)"] } }
    ]
  ]
  it.each(cases)("%s", (_, { given, want }) => {
    expect(parseChangeset(given)).toEqual(want)
  })
})

describe("shipsToUsers", () => {
  const cases: ReadonlyArray<
    readonly [string, { files: ReadonlyArray<string> | undefined; path: string; want: boolean }]
  > = [
    ["a source file a package ships", { files: ["dist", "src", "README.md"], path: "src/Jwt.ts", want: true }],
    ["a source file its shipped dist is built from", { files: ["bin", "dist"], path: "src/main.ts", want: true }],
    ["the build script of a shipped dist", { files: ["bin", "dist"], path: "build.mjs", want: true }],
    ["a shipped data file", { files: ["openapi.yaml", "README.md"], path: "openapi.yaml", want: true }],
    ["a file outside `files`", { files: ["dist", "src"], path: "scripts/generate.mjs", want: false }],
    ["a test", { files: ["dist", "src"], path: "test/Jwt.test.ts", want: false }],
    ["a test next to the sources", { files: ["dist", "src"], path: "src/Jwt.test.ts", want: false }],
    ["a bench", { files: undefined, path: "bench/index.ts", want: false }],
    ["the README, even when shipped", { files: ["dist", "README.md"], path: "README.md", want: false }],
    ["any file of a package without `files`", { files: undefined, path: "index.js", want: true }]
  ]
  it.each(cases)("%s", (_, { files, path, want }) => {
    expect(shipsToUsers(files === undefined ? {} : { files }, path)).toBe(want)
  })
})

describe("manifestChanged", () => {
  const before = { name: "a", version: "0.0.0", dependencies: { effect: "4.1.0" }, devDependencies: { vitest: "5" } }
  it("ignores devDependencies, scripts, the version a release sets and the order of fields", () => {
    const { name, ...rest } = before
    const after = {
      scripts: { test: "vitest" },
      ...rest,
      devDependencies: { vitest: "5", knip: "6" },
      name,
      version: "0.1.0"
    }
    expect(manifestChanged(before, after)).toBe(false)
  })
  it("sees a dependency, an engine or an export change", () => {
    expect(manifestChanged(before, { ...before, dependencies: { effect: "4.2.0" } })).toBe(true)
    expect(manifestChanged(before, { ...before, engines: { node: ">=20" } })).toBe(true)
  })
  it("counts a new package as changed", () => {
    expect(manifestChanged(undefined, before)).toBe(true)
  })
})

describe("uncovered, newest, releaseTag", () => {
  it("lists the changed packages no changeset names, a bump none included as named", () => {
    const changed = [
      { name: "a", files: ["src/x.ts"] },
      { name: "b", files: ["src/y.ts"] },
      { name: "c", files: ["src/z.ts"] }
    ]
    const changesets = [{ releases: [{ name: "a" }] }, { releases: [{ name: "c" }, { name: "d" }] }]
    expect(uncovered(changed, changesets)).toEqual([{ name: "b", files: ["src/y.ts"] }])
  })
  it("picks the release point no other descends from", () => {
    const order = ["c1", "c2", "c3"]
    const isAncestor = (a: string, b: string) => order.indexOf(a) <= order.indexOf(b)
    expect(newest(["c2", "c3", "c1"], isAncestor)).toBe("c3")
    expect(newest([], isAncestor)).toBeUndefined()
  })
  it("reads name@version tags, scoped or not, and nothing else", () => {
    expect(releaseTag("@ipos/auth-core@0.1.0")).toEqual({ name: "@ipos/auth-core", version: "0.1.0" })
    expect(releaseTag("plain@1.2.3-beta.1")).toEqual({ name: "plain", version: "1.2.3-beta.1" })
    expect(releaseTag("v0.1.0")).toBeUndefined()
    expect(releaseTag("@ipos/auth-core")).toBeUndefined()
  })
})

// The script on a throwaway repository: published packages a and b, private p.
describe("check-changesets.mjs", () => {
  const repos: Array<string> = []
  afterEach(() => {
    for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  const git = (dir: string, ...args: ReadonlyArray<string>) =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"]
    })
  const write = (dir: string, path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  const commit = (dir: string, message: string) => {
    git(dir, "add", "-A")
    git(dir, "commit", "-qm", message)
  }
  const manifest = (name: string, extra: object = {}) =>
    `${JSON.stringify({ name, version: "0.0.0", files: ["dist", "src"], ...extra }, null, 2)}\n`
  const changeset = (dir: string, file: string, releases: Record<string, string>) =>
    write(
      dir,
      `.changeset/${file}.md`,
      `---\n${Object.entries(releases)
        .map(([name, type]) => `"${name}": ${type}`)
        .join("\n")}\n---\n\nWhat changed for users.\n`
    )

  /** A repository on main with one commit holding the three packages. */
  const repository = () => {
    const dir = mkdtempSync(join(tmpdir(), "check-changesets-"))
    repos.push(dir)
    git(dir, "init", "-q", "-b", "main")
    write(dir, "pnpm-workspace.yaml", "packages:\n  - packages/*\n")
    write(dir, ".changeset/config.json", JSON.stringify({ baseBranch: "main", ignore: [] }))
    write(dir, ".changeset/README.md", "# Changesets\n")
    for (const name of ["a", "b"]) {
      write(dir, `packages/${name}/package.json`, manifest(name))
      write(dir, `packages/${name}/src/index.ts`, "export const one = 1\n")
    }
    write(dir, "packages/p/package.json", manifest("p", { private: true }))
    write(dir, "packages/p/src/index.ts", "export const one = 1\n")
    commit(dir, "start")
    return dir
  }
  const check = (dir: string, ...args: ReadonlyArray<string>) => {
    const result = spawnSync(process.execPath, [script, "--root", dir, ...args], { encoding: "utf8" })
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  /** A repository whose first release (tags a@0.1.0, b@0.1.0 and CHANGELOGs) is its last commit. */
  const released = () => {
    const dir = repository()
    for (const name of ["a", "b"]) write(dir, `packages/${name}/CHANGELOG.md`, `# ${name}\n\n## 0.1.0\n`)
    commit(dir, "release")
    git(dir, "tag", "a@0.1.0")
    git(dir, "tag", "b@0.1.0")
    return dir
  }

  it("before the first release, wants a changeset for every published package, naming the ones missing", () => {
    const dir = repository()
    changeset(dir, "first-a", { a: "minor" })
    commit(dir, "changeset for a")
    expect(check(dir)).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "check:changesets: published packages changed since the first commit (nothing has been released yet) without a changeset:\n" +
        "  b: packages/b/package.json, packages/b/src/index.ts\n" +
        "Add one: `pnpm changeset`, pick these packages and a bump level, and say in a sentence or two what changed for their users.\n" +
        'A change its users cannot see (a refactor) takes a changeset naming the package with bump "none": no version, no CHANGELOG entry.\n'
    })
    changeset(dir, "first-b", { b: "minor" })
    expect(check(dir)).toEqual({
      code: 0,
      stdout:
        "check:changesets: 2 published packages changed since the first commit (nothing has been released yet), each named by one of the 2 changesets of that range\n",
      stderr: ""
    })
  })

  it("on main after a release, counts only what changed since it", () => {
    const dir = released()
    const head = git(dir, "rev-parse", "--short=7", "HEAD").trim()
    expect(check(dir).stdout).toBe(
      `check:changesets: 0 published packages changed since the release tag a@0.1.0 (${head}), each named by one of the 0 changesets of that range\n`
    )
    write(dir, "packages/a/src/index.ts", "export const one = 2\n")
    commit(dir, "change a")
    expect(check(dir).stderr).toContain(`changed since the release tag a@0.1.0 (${head}) without a changeset:\n  a: `)
  })

  it("finds the last release by its CHANGELOG commit when there is no tag", () => {
    const dir = released()
    git(dir, "tag", "-d", "a@0.1.0")
    git(dir, "tag", "-d", "b@0.1.0")
    const head = git(dir, "rev-parse", "--short=7", "HEAD").trim()
    expect(check(dir).stdout).toContain(`since the last commit that changed a CHANGELOG (${head})`)
  })

  it("on a branch, wants a changeset of the branch for each package the branch changed", () => {
    const dir = released()
    changeset(dir, "pending-b", { b: "patch" })
    commit(dir, "a pending changeset for b on main")
    const base = git(dir, "rev-parse", "--short=7", "HEAD").trim()
    git(dir, "switch", "-q", "-c", "feature")
    write(dir, "packages/a/src/index.ts", "export const one = 2\n")
    write(dir, "packages/b/src/index.ts", "export const one = 2\n")
    changeset(dir, "feature-a", { a: "minor" })
    commit(dir, "feature")
    const result = check(dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `published packages changed since the merge base with main (${base}) without a changeset:\n  b: packages/b/src/index.ts\n`
    )
    changeset(dir, "feature-b", { b: "none" })
    expect(check(dir).code).toBe(0)
  })

  it("lets tests, READMEs, private packages and devDependencies change without a changeset", () => {
    const dir = released()
    git(dir, "switch", "-q", "-c", "chores")
    write(dir, "packages/a/test/index.test.ts", "test\n")
    write(dir, "packages/a/README.md", "# a\n")
    write(dir, "packages/p/src/index.ts", "export const one = 2\n")
    write(dir, "packages/b/package.json", manifest("b", { devDependencies: { knip: "6.44.2" } }))
    commit(dir, "chores")
    expect(check(dir).code).toBe(0)
    write(dir, "packages/b/package.json", manifest("b", { dependencies: { effect: "4.1.0" } }))
    expect(check(dir).stderr).toContain("\n  b: packages/b/package.json\n")
  })

  it("matches files whose names are not ASCII to their package", () => {
    const dir = released()
    write(dir, "packages/a/src/café.ts", "export const two = 2\n")
    commit(dir, "a file named in UTF-8")
    expect(check(dir).stderr).toContain("\n  a: packages/a/src/café.ts\n")
  })

  it("counts uncommitted and untracked files, changesets included", () => {
    const dir = released()
    write(dir, "packages/a/src/new.ts", "export const two = 2\n")
    expect(check(dir).code).toBe(1)
    changeset(dir, "uncommitted", { a: "patch" })
    expect(check(dir).code).toBe(0)
  })

  it("refuses a changeset naming a package the workspace does not have", () => {
    const dir = released()
    changeset(dir, "typo", { "@ipos/auth-cor": "patch" })
    expect(check(dir)).toMatchObject({
      code: 1,
      stderr:
        'check:changesets: unreadable changesets:\n  .changeset/typo.md: "@ipos/auth-cor" is no package of this workspace\n'
    })
  })

  it("in a shallow clone that does not reach the last release, says it cannot check and passes", () => {
    const dir = released()
    write(dir, "packages/a/src/index.ts", "export const one = 2\n")
    commit(dir, "after the release")
    const clone = mkdtempSync(join(tmpdir(), "check-changesets-clone-"))
    repos.push(clone)
    execFileSync("git", ["clone", "-q", "--depth", "1", "--no-tags", `file://${dir}`, clone], { stdio: "ignore" })
    execFileSync("git", ["remote", "remove", "origin"], { cwd: clone })
    expect(check(clone)).toEqual({
      code: 0,
      stdout: "",
      stderr:
        "check:changesets: not checked: this shallow clone holds no release, and may have cut the last one off. " +
        "Run `git fetch --unshallow` (or pass --base REF) for the check; the 0 changesets present are readable.\n"
    })
  })

  it("compares with --base when given", () => {
    const dir = released()
    write(dir, "packages/a/src/index.ts", "export const one = 2\n")
    commit(dir, "change a")
    expect(check(dir, "--base", "HEAD").code).toBe(0)
    expect(check(dir, "--base", "nowhere").stderr).toContain("--base nowhere is no commit here")
  })
})
