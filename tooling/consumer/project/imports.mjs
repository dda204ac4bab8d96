// Loads every entry of every installed package as an ESM consumer does: `import()` for JavaScript,
// `import()` with `type: "json"` for JSON, and `import.meta.resolve` plus a file check for other
// files (the spec's YAML); a subpath `exports` blocks (`"./internal/*": null`) must be refused.
// The entries come from entries.json, written by the check. Prints one line per entry; exits 1
// when any fails.
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const entries = JSON.parse(readFileSync(new URL("./entries.json", import.meta.url), "utf8"))
let failed = 0
for (const { specifier, kind } of entries) {
  try {
    if (kind === "blocked") {
      const refusal = await import(specifier).then(
        () => undefined,
        (error) => error
      )
      if (refusal?.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") {
        throw new Error(`is importable, but exports blocks it (${refusal?.code ?? "it loaded"})`)
      }
      console.log(`ok   ${specifier} (blocked)`)
    } else if (kind === "file") {
      const file = fileURLToPath(import.meta.resolve(specifier))
      if (!existsSync(file)) throw new Error(`resolves to ${file}, which is missing`)
      console.log(`ok   ${specifier} (file)`)
    } else {
      const namespace = kind === "json" ? await import(specifier, { with: { type: "json" } }) : await import(specifier)
      const names = Object.keys(namespace)
      if (names.length === 0) throw new Error("has no exports")
      console.log(`ok   ${specifier} (${kind === "json" ? "JSON" : `${names.length} exports`})`)
    }
  } catch (error) {
    failed += 1
    console.log(`FAIL ${specifier}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
process.exitCode = failed === 0 ? 0 : 1
