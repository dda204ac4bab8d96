// Adds doc comments to the exported declarations the generators leave without one, so that the
// API reference (`pnpm run check:docs`) documents every public name. Runs inside
// scripts/generate.mjs on fresh output; it never rewrites a comment the spec already produced.
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"

// The SDK names its types after each operationId: `${op}Data`, `${op}Responses`, ...
const operationRules = [
  [/^(\w+)Data$/, (op) => `The request of \`${op}\`: its headers, body, path and query, as the spec describes them.`],
  [/^(\w+)Responses$/, (op) => `The bodies \`${op}\` answers with, by HTTP status.`],
  [/^(\w+)Response$/, (op) => `The body of any response \`${op}\` documents as a success.`],
  [/^(\w+)Errors$/, (op) => `The error bodies \`${op}\` answers with, by HTTP status.`],
  [/^(\w+)Error$/, (op) => `The body of any response \`${op}\` documents as an error.`]
]

const lowerFirst = (name) => name.charAt(0).toLowerCase() + name.slice(1)

/** Fixed comments, by generated file, for names no rule describes. */
export const namedComments = {
  "paths.gen.ts": {
    paths: "Every path of the API with its operations, typed from the spec (openapi-typescript's `paths`).",
    components: "The spec's reusable schemas, parameters and responses (openapi-typescript's `components`).",
    operations: "Every operation of the API by `operationId` (openapi-typescript's `operations`).",
    webhooks: "The spec's webhooks: none.",
    $defs: "The spec's `$defs`: none."
  },
  "sdk/types.gen.ts": {
    ClientOptions: "The base URLs the spec lists as servers; any other URL is accepted too."
  },
  "sdk/sdk.gen.ts": {
    Options:
      "The options of an SDK function: the request it sends, plus `client` to call through another client and `meta` for your own values."
  }
}

/** The doc comment for an exported `name` of `file`, or undefined when none is known. */
export const commentFor = (file, name) => {
  const named = namedComments[file]?.[name]
  if (named !== undefined) return named
  if (file !== "sdk/types.gen.ts") return undefined
  for (const [pattern, describe] of operationRules) {
    const match = pattern.exec(name)
    if (match !== null) return describe(lowerFirst(match[1]))
  }
  return undefined
}

const declaration = /^export (?:type|interface) ([\w$]+)/

/** Puts a `/** … *\/` line above each top-level export of `source` that has no doc comment. */
export const addDocComments = (file, source) => {
  const lines = source.split("\n")
  return lines
    .flatMap((line, index) => {
      const name = declaration.exec(line)?.[1]
      const documented = index > 0 && lines[index - 1].trimEnd().endsWith("*/")
      const comment = name === undefined || documented ? undefined : commentFor(file, name)
      return comment === undefined ? [line] : [`/** ${comment} */`, line]
    })
    .join("\n")
}

/** Applies {@link addDocComments} to the generated files under `dir` that it knows. */
export const documentGenerated = async (dir) => {
  for (const file of Object.keys(namedComments)) {
    const path = join(dir, file)
    await writeFile(path, addDocComments(file, await readFile(path, "utf8")))
  }
}
