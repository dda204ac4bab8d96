// Types of changesetRules.mjs, for the tests in tooling/testing.

/** A package a changeset releases, and how. */
export interface Release {
  readonly name: string
  readonly type: "major" | "minor" | "patch" | "none"
}

/** A changeset's front matter and text, with what makes it unreadable. */
export interface ParsedChangeset {
  readonly releases: ReadonlyArray<Release>
  readonly summary: string
  readonly problems: ReadonlyArray<string>
}

/** The fields of a package.json the rules read. */
export interface Manifest {
  readonly name?: string
  readonly files?: ReadonlyArray<string>
  readonly [field: string]: unknown
}

/** A changed published package and its changed files (relative to it). */
export interface ChangedPackage {
  readonly name: string
  readonly files: ReadonlyArray<string>
}

export declare const parseChangeset: (text: string) => ParsedChangeset
export declare const shipsToUsers: (manifest: Manifest, path: string) => boolean
export declare const manifestChanged: (before: Manifest | undefined, after: Manifest) => boolean
export declare const uncovered: <P extends ChangedPackage>(
  changed: ReadonlyArray<P>,
  changesets: ReadonlyArray<{ readonly releases: ReadonlyArray<Pick<Release, "name">> }>
) => Array<P>
export declare const newest: (
  commits: ReadonlyArray<string>,
  isAncestor: (a: string, b: string) => boolean
) => string | undefined
export declare const releaseTag: (tag: string) => { readonly name: string; readonly version: string } | undefined
