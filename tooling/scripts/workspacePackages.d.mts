// Types of workspacePackages.mjs, for the TypeScript tooling that imports it.

/** The repository root. */
export declare const root: string
/** Absolute directories of every package of the workspace at `workspaceRoot`. */
export declare const workspacePackagesIn: (workspaceRoot: string) => Array<string>
/** Absolute directories of every package of this repository's workspace (or of the one at `dir`). */
export declare const workspacePackages: (dir?: string) => Array<string>
