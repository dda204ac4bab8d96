/**
 * tooling/scripts/turbo.sh, the only way the project's scripts run turbo: telemetry off, the Node
 * version in every task's hash, colour only on a terminal.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const wrapper = join(root, "tooling/scripts/turbo.sh")

/** Every place that may start turbo: the root scripts, each package's scripts and the CI entry. */
const scriptSources = (): ReadonlyArray<readonly [string, string]> => {
  const manifest = (path: string) =>
    Object.entries(
      (JSON.parse(readFileSync(join(root, path), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {}
    )
  const packages = [
    "package.json",
    "spec/package.json",
    ...["client", "core", "sandbox"].map((p) => `packages/${p}/package.json`)
  ]
  const apps = ["cli", "proxy", "demo"].map((a) => `apps/${a}/package.json`)
  return [
    ...[...packages, ...apps].flatMap((path) =>
      manifest(path).map(([name, line]) => [`${path} ${name}`, line] as const)
    ),
    [".ci/run", readFileSync(join(root, ".ci/run"), "utf8")],
    ["tooling/scripts/setup.sh", readFileSync(join(root, "tooling/scripts/setup.sh"), "utf8")]
  ]
}

describe("turbo.sh", () => {
  it("turns Turborepo's telemetry off", () => {
    const status = execFileSync("bash", [wrapper, "telemetry", "status"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"]
    })
    expect(status).toContain("Status: Disabled")
  })

  it("is how every script starts turbo (no bare `turbo run`)", () => {
    const bare = scriptSources().filter(([, line]) =>
      line
        .split("\n")
        .some(
          (l) =>
            !l.trimStart().startsWith("#") && /(^|[\s;&|(])(\S*\/)?turbo\s+run\b/.test(l) && !l.includes("turbo.sh")
        )
    )
    expect(bare.map(([where]) => where)).toEqual([])
  })
})
