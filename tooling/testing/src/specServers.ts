/** The `servers` of `spec/openapi.yaml`, read from the spec itself so code that copies them can be checked. */
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import { specPath } from "./prism.js"

/**
 * Each server's `description` (the environment name) and `url`.
 *
 * @example
 * ```ts
 * specServers() // { sandbox: "https://auth.ipospays.tech", production: "https://auth.ipospays.com" }
 * ```
 */
export const specServers = (spec: string = specPath): Readonly<Record<string, string>> => {
  const doc = parse(readFileSync(spec, "utf8")) as { servers?: Array<{ url: string; description: string }> }
  return Object.fromEntries((doc.servers ?? []).map((server) => [server.description, server.url]))
}
