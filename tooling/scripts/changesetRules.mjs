// The rules of check-changesets.mjs, free of git and the file system so that tooling/testing can
// prove them on plain values: which changed files reach users, how a changeset names its packages,
// and which changed published packages no changeset covers.

const bumps = new Set(["major", "minor", "patch", "none"])

/**
 * The packages and bump levels a changeset's front matter names, or the problems that make it
 * unreadable.
 *
 * @example
 * parseChangeset('---\n"@ipos/auth-core": minor\n---\n\nText.\n')
 * // { releases: [{ name: "@ipos/auth-core", type: "minor" }], summary: "Text.", problems: [] }
 */
export const parseChangeset = (text) => {
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text)
  if (match === null) return { releases: [], summary: "", problems: ["no front matter (--- … ---)"] }
  const [, head, body] = match
  const releases = []
  const problems = []
  for (const line of head.split(/\r?\n/).filter((l) => l.trim() !== "")) {
    const release = /^\s*(["']?)([^"':\s]+)\1\s*:\s*(\S+)\s*$/.exec(line)
    if (release === null) problems.push(`unreadable line "${line.trim()}"`)
    else if (!bumps.has(release[3]))
      problems.push(`"${release[2]}" has bump "${release[3]}" (major, minor, patch or none)`)
    else releases.push({ name: release[2], type: release[3] })
  }
  const summary = body.trim()
  if (summary === "") problems.push("no text for the CHANGELOG")
  return { releases, summary, problems }
}

/** Files of a package that never change what users install or run. */
const unshipped = /^(?:test|bench)\/|(?:^|\/)(?:README|CHANGELOG|LICENSE)(?:\.md)?$|\.test\.[cm]?[jt]s$/

/**
 * Whether a changed file (relative to its package) changes what the package's users get: it is in
 * the package's `files` (or the package has none), or builds what is (`src/` and `build.mjs` when
 * `dist` ships), and is no test, bench or documentation. `package.json` is judged by `manifestChanged`.
 *
 * @example
 * shipsToUsers({ files: ["dist", "src"] }, "src/Jwt.ts") // true
 * shipsToUsers({ files: ["bin", "dist"] }, "src/main.ts") // true: dist is built from it
 * shipsToUsers({ files: ["dist", "src"] }, "test/Jwt.test.ts") // false
 */
export const shipsToUsers = (manifest, path) => {
  if (unshipped.test(path)) return false
  if (!Array.isArray(manifest.files)) return true
  const shipped = manifest.files.map((entry) => entry.replace(/^\.\//, "").replace(/\/$/, ""))
  const built = shipped.includes("dist") ? ["src", "build.mjs"] : []
  return [...shipped, ...built].some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
}

/**
 * Fields of package.json that do not change the published package's behaviour: the workspace's
 * own tooling, and the version, which only a release changes (with the CHANGELOG).
 */
const workspaceOnlyFields = new Set(["devDependencies", "scripts", "version"])

/** A manifest without its workspace-only fields, keys sorted, as text to compare. */
const userFacing = (manifest) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(manifest)
        .filter(([key]) => !workspaceOnlyFields.has(key))
        .sort(([a], [b]) => a.localeCompare(b))
    )
  )

/**
 * Whether a package.json changed in a way its users see (dependencies, exports, engines, …), as
 * opposed to devDependencies, scripts or the version a release sets. A manifest that did not exist before is a change.
 *
 * @example
 * manifestChanged({ name: "a", devDependencies: {} }, { name: "a", devDependencies: { knip: "6" } }) // false
 */
export const manifestChanged = (before, after) => before === undefined || userFacing(before) !== userFacing(after)

/**
 * The published packages that changed without a changeset naming them, each with its changed files.
 *
 * @param changed  changed published packages: `{ name, files }`
 * @param changesets  the changesets of the compared range: `{ releases: [{ name }] }`
 * @example
 * uncovered([{ name: "a", files: ["src/x.ts"] }], []) // [{ name: "a", files: ["src/x.ts"] }]
 */
export const uncovered = (changed, changesets) => {
  const named = new Set(changesets.flatMap((changeset) => changeset.releases.map((release) => release.name)))
  return changed.filter((pkg) => !named.has(pkg.name))
}

/**
 * The newest of some commits when each is an ancestor of the next (the release points of one
 * history): the one no other descends from.
 *
 * @param isAncestor  `(a, b) => a is an ancestor of b`
 * @example
 * newest(["c1", "c3", "c2"], (a, b) => a < b) // "c3"
 */
export const newest = (commits, isAncestor) =>
  commits.reduce((best, commit) => (best === undefined || isAncestor(best, commit) ? commit : best), undefined)

/**
 * The package names and versions release tags record: `name@version` (`@scope/name@1.2.3`).
 *
 * @example
 * releaseTag("@ipos/auth-core@0.1.0") // { name: "@ipos/auth-core", version: "0.1.0" }
 */
export const releaseTag = (tag) => {
  const match = /^((?:@[^@/\s]+\/)?[^@/\s]+)@(\d+\.\d+\.\d+(?:-[\w.]+)?)$/.exec(tag)
  return match === null ? undefined : { name: match[1], version: match[2] }
}
