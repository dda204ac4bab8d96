// Fails when a published package changed without a changeset naming it (`npm run check:changesets`).
//   node tooling/scripts/check-changesets.mjs [--base REF] [--root DIR]
//
// What it compares against:
// - on a branch (HEAD not contained in main): the merge base with `main` (or `origin/main`), so only
//   the branch's own changes and changesets count;
// - on main (or a detached HEAD main contains, as in a fresh CI clone): the last release, the newest
//   of the `name@version` tags and of the commits that changed a CHANGELOG.md. Before the first
//   release that is the whole history, so every published package needs a pending changeset;
// - `--base REF` compares against REF instead.
// A shallow clone whose history does not reach that point cannot be checked: the script says so,
// checks only that the changesets are readable, and passes (`git fetch --unshallow` gives the full check).
// Uncommitted and untracked files count, so the check can be run before committing.
//
// Why not `changeset status --since=main`: it fails only when the range has no changeset at all
// (one changeset for any package lets a change to every other package through), its message names
// no package, it counts a test or README edit as a change, and on main itself it compares main with
// main (nothing to check) instead of with the last release.
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { manifestChanged, newest, parseChangeset, releaseTag, shipsToUsers, uncovered } from "./changesetRules.mjs"
import { root, workspacePackages } from "./workspacePackages.mjs"

const argument = (name) => {
  const index = process.argv.indexOf(name)
  return index === -1 ? undefined : process.argv[index + 1]
}
const repo = argument("--root") ?? root
const git = (...args) => execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
const tryGit = (...args) => {
  try {
    return git(...args).trim()
  } catch {
    return undefined
  }
}
const lines = (text) => (text ?? "").split("\n").filter((line) => line !== "")
const short = (commit) => commit.slice(0, 7)
const count = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`

const config = JSON.parse(readFileSync(join(repo, ".changeset/config.json"), "utf8"))
const baseBranch = config.baseBranch ?? "main"
const ignored = new Set(config.ignore ?? [])
const packages = workspacePackages(repo).map((dir) => ({
  dir: relative(repo, dir),
  manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
}))
const published = packages.filter(({ manifest }) => manifest.private !== true && !ignored.has(manifest.name))
const names = new Set(packages.map(({ manifest }) => manifest.name))

const isAncestor = (a, b) => tryGit("merge-base", "--is-ancestor", a, b) !== undefined
const commitOf = (ref) => tryGit("rev-parse", "--verify", "--quiet", `${ref}^{commit}`)

/** The boundary commits of a shallow clone (none in a full one). */
const readShallow = () => {
  try {
    return readFileSync(join(repo, tryGit("rev-parse", "--git-path", "shallow") ?? ".git/shallow"), "utf8")
  } catch {
    return ""
  }
}

/** The last release reachable from HEAD: `{ commit, what }`, or undefined before the first one. */
const lastRelease = () => {
  const tagged = lines(tryGit("tag", "--merged", "HEAD"))
    .filter((tag) => names.has(releaseTag(tag)?.name))
    .map((tag) => ({ commit: commitOf(tag), what: `the release tag ${tag}` }))
  const changelogs = packages.map(({ dir }) => join(dir, "CHANGELOG.md"))
  // A shallow clone's oldest commits look as if they added every file, CHANGELOGs included: no release.
  const cut = new Set(lines(readShallow()))
  const changelog = lines(tryGit("log", "--format=%H", "HEAD", "--", ...changelogs)).find((commit) => !cut.has(commit))
  const points = [
    ...tagged,
    ...(changelog ? [{ commit: changelog, what: "the last commit that changed a CHANGELOG" }] : [])
  ]
  const latest = newest(
    points.map(({ commit }) => commit),
    isAncestor
  )
  const point = points.find(({ commit }) => commit === latest)
  return point && { commit: point.commit, what: `${point.what} (${short(point.commit)})` }
}

/** `{ commit, what }` to compare with (commit undefined: everything), or `{ unknown }` when history cannot tell. */
const findBase = () => {
  const explicit = argument("--base")
  if (explicit !== undefined) {
    const commit = commitOf(explicit)
    if (commit === undefined) return { unknown: `--base ${explicit} is no commit here` }
    return { commit, what: `${explicit} (${short(commit)})` }
  }
  if (commitOf("HEAD") === undefined) return { commit: undefined, what: "the start (no commit yet)" }
  const main = [baseBranch, `origin/${baseBranch}`].find((ref) => commitOf(ref) !== undefined)
  const shallow = tryGit("rev-parse", "--is-shallow-repository") === "true"
  if (main !== undefined && !isAncestor("HEAD", main)) {
    const commit = tryGit("merge-base", "HEAD", main)
    if (commit === undefined) return { unknown: `this history shares no commit with ${main}` }
    return { commit, what: `the merge base with ${main} (${short(commit)})` }
  }
  const release = lastRelease()
  if (release !== undefined) return release
  if (shallow) return { unknown: "this shallow clone holds no release, and may have cut the last one off" }
  return { commit: undefined, what: "the first commit (nothing has been released yet)" }
}

/** Files changed since `commit` (all tracked files without one), uncommitted and untracked ones included. */
const changedFiles = (commit) => {
  // NUL-separated (-z): without it git quotes and escapes names outside ASCII, which then match no package.
  const paths = (text) => text.split("\0").filter((path) => path !== "")
  const tracked =
    commit === undefined
      ? paths(git("ls-files", "-z"))
      : paths(git("diff", "--name-only", "-z", "--no-renames", commit))
  return [...new Set([...tracked, ...paths(git("ls-files", "-z", "--others", "--exclude-standard"))])]
}

const fail = (message) => {
  console.error(`check:changesets: ${message}`)
  process.exit(1)
}

const base = findBase()
const changed = base.unknown === undefined ? changedFiles(base.commit) : []
// Changesets of the range: those added or edited since the base (all of them when it is unknown).
const changesets = readdirSync(join(repo, ".changeset"))
  .filter((file) => file.endsWith(".md") && file !== "README.md")
  .map((file) => `.changeset/${file}`)
  .filter((path) => base.unknown !== undefined || changed.includes(path))
  .map((path) => ({ path, ...parseChangeset(readFileSync(join(repo, path), "utf8")) }))

const invalid = changesets.flatMap(({ path, releases, problems }) => [
  ...problems.map((problem) => `${path}: ${problem}`),
  ...releases
    .filter(({ name }) => !names.has(name))
    .map(({ name }) => `${path}: "${name}" is no package of this workspace`)
])
if (invalid.length > 0) fail(`unreadable changesets:\n  ${invalid.join("\n  ")}`)

if (base.unknown !== undefined) {
  console.warn(
    `check:changesets: not checked: ${base.unknown}. Run \`git fetch --unshallow\` (or pass --base REF) for the check; ` +
      `the ${count(changesets.length, "changeset")} present ${changesets.length === 1 ? "is" : "are"} readable.`
  )
  process.exit(0)
}

/** The manifest at the base, or undefined when the package is new there. */
const manifestAtBase = (dir) => {
  if (base.commit === undefined) return undefined
  const text = tryGit("show", `${base.commit}:${dir === "" ? "" : `${dir}/`}package.json`)
  return text === undefined ? undefined : JSON.parse(text)
}

const changedPackages = published.flatMap(({ dir, manifest }) => {
  const inside = changed.filter((path) => path.startsWith(`${dir}/`)).map((path) => path.slice(dir.length + 1))
  const files = inside.filter((path) =>
    path === "package.json" ? manifestChanged(manifestAtBase(dir), manifest) : shipsToUsers(manifest, path)
  )
  return files.length === 0 ? [] : [{ name: manifest.name, dir, files }]
})

const missing = uncovered(changedPackages, changesets)
const since = `since ${base.what}`
if (missing.length > 0) {
  const listed = missing.map(({ name, dir, files }) => {
    const shown = files.slice(0, 3).map((file) => `${dir}/${file}`)
    return `${name}: ${shown.join(", ")}${files.length > 3 ? `, and ${files.length - 3} more` : ""}`
  })
  fail(
    `published packages changed ${since} without a changeset:\n  ${listed.join("\n  ")}\n` +
      "Add one: `pnpm changeset`, pick these packages and a bump level, and say in a sentence or two what changed for their users.\n" +
      'A change its users cannot see (a refactor) takes a changeset naming the package with bump "none": no version, no CHANGELOG entry.'
  )
}
console.log(
  `check:changesets: ${count(changedPackages.length, "published package")} changed ${since}, ` +
    `each named by one of the ${count(changesets.length, "changeset")} of that range`
)
