/**
 * Reading what npm warned about while installing the consumer project. The warnings do not fail
 * the check (dependencies' engines are theirs to declare); the summary shows them so that a new one
 * is seen.
 */

/**
 * A dependency whose `engines.node` excludes the running Node (npm's `EBADENGINE`).
 *
 * @example
 * const warning: EngineWarning = { pkg: "undici@8.13.1", required: ">=22.19.0" }
 */
export interface EngineWarning {
  readonly pkg: string
  readonly required: string
}

const warnLine = /^npm warn (\S+) ?(.*)$/

/**
 * The `EBADENGINE` warnings of npm's stderr, in order.
 *
 * @example
 * engineWarnings("npm warn EBADENGINE   package: 'undici@8.13.1',\nnpm warn EBADENGINE   required: { node: '>=22.19.0' },")
 * // [{ pkg: "undici@8.13.1", required: ">=22.19.0" }]
 */
export const engineWarnings = (stderr: string): ReadonlyArray<EngineWarning> => {
  const found: Array<EngineWarning> = []
  let pkg: string | undefined
  for (const line of stderr.split("\n")) {
    const named = /^npm warn EBADENGINE\s+package: '([^']+)'/.exec(line)
    if (named !== null) pkg = named[1]
    const required = /^npm warn EBADENGINE\s+required: \{ node: '([^']+)'/.exec(line)
    if (required?.[1] !== undefined && pkg !== undefined) {
      found.push({ pkg, required: required[1] })
      pkg = undefined
    }
  }
  return found
}

/**
 * npm's other warnings, one string per warning code (its lines joined), in order of appearance.
 *
 * @example
 * otherWarnings("npm warn install-scripts 1 package has install scripts:\nnpm warn install-scripts   protobufjs@7.6.6")
 * // ["install-scripts: 1 package has install scripts: protobufjs@7.6.6"]
 */
export const otherWarnings = (stderr: string): ReadonlyArray<string> => {
  const byCode = new Map<string, Array<string>>()
  for (const line of stderr.split("\n")) {
    const match = warnLine.exec(line)
    if (match === null || match[1] === undefined || match[1] === "EBADENGINE") continue
    const text = (match[2] ?? "").trim()
    const lines = byCode.get(match[1]) ?? []
    if (text !== "") lines.push(text)
    byCode.set(match[1], lines)
  }
  return [...byCode].map(([code, lines]) => `${code}: ${lines.join(" ")}`)
}
