/**
 * The one check the page's answer decoders share, written by hand: Effect Schema would add its
 * AST and parser (~20 kB gzipped) to a page that checks four small JSON shapes.
 */

/** A JSON object (not `null`, not an array), whose fields can be read. */
export const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
