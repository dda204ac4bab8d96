// Shows what the next release would be: runs `changeset version` in a temporary copy of the working
// tree (never in the real one), prints each package's new version and CHANGELOG entry, and fails
// when the result is not a sensible release (`npm run release:dry-run`;
// node tooling/scripts/release-dry-run.mjs [--allow-major] [--root DIR]):
// - `changeset version` fails (an unreadable changeset, a package name that does not exist);
// - a changeset is left unconsumed, or a bumped package's CHANGELOG does not open with its new version;
// - an entry is empty, or a published package would reach 1.0.0 (releases stay 0.x until the API
//   is declared stable: pass --allow-major to see such a plan anyway).
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative } from "node:path"
import { root, workspacePackages } from "./workspacePackages.mjs"

const allowMajor = process.argv.includes("--allow-major")
const rootIndex = process.argv.indexOf("--root")
// The repository to release (another one in tests); changesets itself comes from this one's install.
const repo = rootIndex === -1 ? root : process.argv[rootIndex + 1]
const read = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
const count = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`
// Through exitCode, not process.exit: the copy is removed by a `finally` that exit would skip.
const fail = (problems) => {
  console.error(`release:dry-run: ${problems.join("\n  ")}`)
  process.exitCode = 1
}

/** The working tree as git sees it (tracked and untracked files, not ignored ones), copied into `dir`. */
const copyTree = (dir) => {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repo,
    encoding: "utf8"
  })
  for (const file of files.split("\0").filter((f) => f !== "" && existsSync(join(repo, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    cpSync(join(repo, file), join(dir, file))
  }
  // changeset and its changelog module are found through the real tree's dependencies.
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir")
}

/** The first section of a CHANGELOG: its `## version` heading and the entries under it. */
const firstSection = (text) => {
  const start = text.indexOf("\n## ")
  if (start === -1) return undefined
  const end = text.indexOf("\n## ", start + 1)
  return text.slice(start + 1, end === -1 ? undefined : end).trim()
}

/** Versions a copy of the tree in `copy` and checks what it made. */
const dryRun = (copy) => {
  copyTree(copy)
  const pending = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")
  if (pending.length === 0) {
    console.log("release:dry-run: no pending changesets, nothing to release")
    return
  }
  execFileSync(join(root, "node_modules/.bin/changeset"), ["version"], {
    cwd: copy,
    stdio: ["ignore", "pipe", "inherit"]
  })

  const problems = []
  const left = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")
  if (left.length > 0) problems.push(`changesets left after \`changeset version\`: ${left.join(", ")}`)

  const released = []
  for (const dir of workspacePackages(repo)) {
    const where = relative(repo, dir)
    const before = read(dir)
    const after = read(join(copy, where))
    if (before.version === after.version) continue
    const changelog = join(copy, where, "CHANGELOG.md")
    const section = existsSync(changelog) ? firstSection(readFileSync(changelog, "utf8")) : undefined
    if (section === undefined || !section.startsWith(`## ${after.version}\n`))
      problems.push(`${where}/CHANGELOG.md does not open with ## ${after.version}`)
    else if (!/^- /m.test(section)) problems.push(`${where}/CHANGELOG.md has no entry under ## ${after.version}`)
    if (!allowMajor && before.private !== true && Number(after.version.split(".")[0]) >= 1)
      problems.push(
        `${after.name} would go from ${before.version} to ${after.version} (a major release: --allow-major)`
      )
    released.push({
      name: after.name,
      from: before.version,
      to: after.version,
      private: before.private === true,
      section
    })
  }
  if (released.length === 0) problems.push(`${pending.length} changesets, and no package would get a new version`)

  for (const { name, from, to, private: isPrivate, section } of released) {
    console.log(`\n=== ${name} ${from} → ${to}${isPrivate ? " (private: versioned, not published)" : ""}\n`)
    console.log(section ?? "(no CHANGELOG)")
  }
  console.log(
    `\nrelease:dry-run: ${count(pending.length, "changeset")} → ${count(released.length, "package")}: ` +
      released.map(({ name, to }) => `${name}@${to}`).join(", ")
  )
  if (problems.length > 0) fail(problems)
}

const copy = mkdtempSync(join(tmpdir(), "ipos-release-dry-run-"))
try {
  dryRun(copy)
} finally {
  rmSync(copy, { recursive: true, force: true })
}
