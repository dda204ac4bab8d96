// Types of scripts/size.mjs for the tests that import it.
export declare const entry: string
export declare const groupOf: (path: string) => string
export declare const moduleName: (path: string) => string
export interface SizeFigures {
  readonly gzip: number
  readonly minified: number
}
export declare const verdict: (
  totals: SizeFigures,
  budget: Partial<SizeFigures>
) => { readonly ok: boolean; readonly lines: ReadonlyArray<string> }
export declare const breakdown: (inputs: Record<string, { readonly bytesInOutput: number }>) => {
  readonly groups: ReadonlyArray<readonly [string, number]>
  readonly modules: ReadonlyArray<readonly [string, number]>
}
