// How `changeset version` writes CHANGELOG entries (.changeset/config.json `changelog`): changesets'
// default lines for changes, but one "Updated dependencies" list per release where the default
// repeats the line once for every changeset that moved a dependency.
const base = require("@changesets/cli/changelog").default

/** A changeset's entry: its text, as the default writes it (with the commit when git knows it). */
const getReleaseLine = base.getReleaseLine

/** The workspace dependencies a release moved to new versions, listed once. */
const getDependencyReleaseLine = async (_changesets, dependencies) =>
  dependencies.length === 0
    ? ""
    : ["- Updated dependencies", ...dependencies.map((d) => `  - ${d.name}@${d.newVersion}`)].join("\n")

module.exports = { getReleaseLine, getDependencyReleaseLine }
