/**
 * tooling/scripts/release-dry-run.mjs (`npm run release:dry-run`): `changeset version` in a
 * temporary copy, its versions and CHANGELOG entries printed, the real tree untouched; a major
 * release or a changeset naming no package of the workspace fails it.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"

const script = fileURLToPath(new URL("../../scripts/release-dry-run.mjs", import.meta.url))

describe("release-dry-run.mjs", () => {
  const repos: Array<string> = []
  afterEach(() => {
    for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  const write = (dir: string, path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  /** A git repository with published package a at 0.0.0 and one pending changeset for it. */
  const repository = (bump: string) => {
    const dir = mkdtempSync(join(tmpdir(), "release-dry-run-"))
    repos.push(dir)
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir })
    write(dir, "package.json", `${JSON.stringify({ name: "root", private: true })}\n`)
    write(dir, "pnpm-workspace.yaml", "packages:\n  - packages/*\n")
    write(dir, ".changeset/config.json", JSON.stringify({ changelog: "@changesets/cli/changelog", baseBranch: "main" }))
    write(dir, "packages/a/package.json", `${JSON.stringify({ name: "a", version: "0.0.0" }, null, 2)}\n`)
    write(dir, ".changeset/first.md", `---\n"a": ${bump}\n---\n\nFirst release of a.\n`)
    return dir
  }
  /** Runs the script with a temporary folder of its own, which it must leave empty whatever happened. */
  const dryRun = (dir: string) => {
    const temp = mkdtempSync(join(tmpdir(), "release-dry-run-tmp-"))
    repos.push(temp)
    const result = spawnSync(process.execPath, [script, "--root", dir], {
      encoding: "utf8",
      env: { ...process.env, TMPDIR: temp }
    })
    expect(readdirSync(temp)).toEqual([])
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }

  it("prints each new version with its CHANGELOG entry and leaves the real tree as it was", () => {
    const dir = repository("minor")
    expect(dryRun(dir)).toEqual({
      code: 0,
      stdout:
        "\n=== a 0.0.0 → 0.1.0\n\n## 0.1.0\n\n### Minor Changes\n\n- First release of a.\n" +
        "\nrelease:dry-run: 1 changeset → 1 package: a@0.1.0\n",
      stderr: ""
    })
    expect(JSON.parse(readFileSync(join(dir, "packages/a/package.json"), "utf8")).version).toBe("0.0.0")
    expect(existsSync(join(dir, ".changeset/first.md"))).toBe(true)
    expect(existsSync(join(dir, "packages/a/CHANGELOG.md"))).toBe(false)
  })

  it("refuses a release to 1.0.0", () => {
    const result = dryRun(repository("major"))
    expect(result.code).toBe(1)
    expect(result.stderr).toBe("release:dry-run: a would go from 0.0.0 to 1.0.0 (a major release: --allow-major)\n")
  })

  it("fails when changesets cannot make a release", () => {
    const dir = repository("minor")
    write(dir, ".changeset/first.md", '---\n"b": minor\n---\n\nNo such package.\n')
    expect(dryRun(dir).code).not.toBe(0)
  })

  it("has nothing to do without pending changesets", () => {
    const dir = repository("minor")
    rmSync(join(dir, ".changeset/first.md"))
    expect(dryRun(dir)).toEqual({
      code: 0,
      stdout: "release:dry-run: no pending changesets, nothing to release\n",
      stderr: ""
    })
  })
})
