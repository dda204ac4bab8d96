/** The named examples of `spec/openapi.yaml`, read from the spec itself so tests cover every one. */
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import { specPath } from "./prism.js"

/** One named example of an operation's `200` response. */
export interface NamedExample {
  readonly operation: "/v1/authenticate-token" | "/v1/refresh-token"
  readonly name: string
  readonly value: Readonly<Record<string, string>>
}

type Yaml = Record<string, unknown>
const at = (node: unknown, ...keys: ReadonlyArray<string>): unknown =>
  keys.reduce<unknown>((n, k) => (typeof n === "object" && n !== null ? (n as Yaml)[k] : undefined), node)

/**
 * Every named example under each operation's `200` response, with `$ref`s resolved.
 *
 * @example
 * ```ts
 * for (const { operation, name, value } of namedExamples()) { ... }
 * ```
 */
export const namedExamples = (spec: string = specPath): ReadonlyArray<NamedExample> => {
  const doc = parse(readFileSync(spec, "utf8")) as Yaml
  const operations = ["/v1/authenticate-token", "/v1/refresh-token"] as const
  return operations.flatMap((operation) => {
    const examples = at(doc, "paths", operation, "post", "responses", "200", "content", "application/json", "examples")
    return Object.entries((examples ?? {}) as Yaml).map(([name, example]) => {
      const ref = at(example, "$ref")
      const resolved = typeof ref === "string" ? at(doc, ...ref.replace("#/", "").split("/")) : example
      return { operation, name, value: at(resolved, "value") as Record<string, string> }
    })
  })
}
