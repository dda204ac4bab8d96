import { spawn } from "node:child_process"
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { cleanEnv } from "./support/runCli.js"

// The Quick start's main job (`npm start`), run to the end with --exit.
const here = dirname(fileURLToPath(import.meta.url))
const script = join(here, "../scripts/walkthrough.mjs")
const workspacePnpm = (
  JSON.parse(readFileSync(join(here, "../../../package.json"), "utf8")) as { packageManager: string }
).packageManager.split("@")[1]

describe("walkthrough", () => {
  it("mints, decodes, refreshes, shows a refusal and a local validation, then stops the sandbox", async () => {
    const child = spawn(process.execPath, [script, "--exit"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve))
    expect(code).toBe(0)
    const steps = stdout.split("\n").filter((line) => /^\d\. /.test(line))
    expect(steps).toEqual([
      "1. Mint a token",
      "2. Decode it (claims and times; the signature is not verified)",
      "3. Refresh it (same uniqueId, new iat/exp)",
      "4. A wrong secret key: AUTH_ERR_004, exit 3, and no secret in the output",
      "5. Checked locally, nothing sent: an expiry outside 30…1440"
    ])
    expect(stdout).toContain('   $ echo "$TOKEN" | ipos-auth decode\n')
    expect(stdout).toContain("   ipos-auth: AUTH_ERR_004: Invalid Credentials, Please Contact Support Team.\n")
    expect(stdout.match(/\(exit \d\)/g)).toEqual(["(exit 0)", "(exit 0)", "(exit 0)", "(exit 3)", "(exit 2)"])
    expect(stdout).not.toContain("demo-merchant-secret-key")
    const issued = [...stdout.matchAll(/"issuedAt": "([^"]+)"/g)].map((m) => m[1])
    expect(issued).toHaveLength(2)
    expect(Date.parse(issued[1] ?? "")).toBeGreaterThan(Date.parse(issued[0] ?? ""))
    expect(stdout.trimEnd().endsWith("Done.")).toBe(true)
  })
})

// Without --exit the sandbox keeps running and the walkthrough prints commands to try in another
// shell. They must work on the path set-up took: when the user's pnpm is another version, set-up
// runs its private copy as node_modules/.bin/pnpm, and the commands must say so on every run.
describe("walkthrough's commands for another shell", () => {
  const scratch = mkdtempSync(join(tmpdir(), "walkthrough-pnpm-"))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  /** A directory holding a `pnpm` that only answers `--version` with `version`. */
  const fakePnpm = (dir: string, version: string): string => {
    const path = join(scratch, dir)
    mkdirSync(path, { recursive: true })
    writeFileSync(join(path, "pnpm"), `#!/bin/sh\necho ${version}\n`)
    chmodSync(join(path, "pnpm"), 0o755)
    return path
  }

  /** Runs the walkthrough until the sandbox is left running, then stops it as Ctrl-C would. */
  const nextSteps = async (pathFirst: ReadonlyArray<string>): Promise<ReadonlyArray<string>> => {
    const env = cleanEnv({ PATH: [...pathFirst, process.env.PATH ?? ""].join(delimiter) })
    const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d
      if (stdout.includes("Ctrl-C stops the sandbox.")) child.kill("SIGTERM")
    })
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve))
    expect(code).toBe(0)
    return stdout.split("\n").filter((line) => line.includes(" exec ipos-auth"))
  }

  const commands = (pnpm: string) => [
    `   ${pnpm} exec ipos-auth token --scope Recurring --json`,
    `   ${pnpm} exec ipos-auth --help`,
    `   (other demo credentials, faults and counters: ${pnpm} exec ipos-auth sandbox --help, packages/sandbox/README.md)`
  ]

  it("says node_modules/.bin/pnpm when the pnpm on PATH is another version", async () => {
    expect(await nextSteps([fakePnpm("other-global", "9.15.9")])).toEqual(commands("node_modules/.bin/pnpm"))
  })

  it("still says so when npm puts set-up's node_modules/.bin/pnpm first on PATH (the second npm start)", async () => {
    const shim = fakePnpm("workspace/node_modules/.bin", workspacePnpm ?? "")
    expect(await nextSteps([shim, fakePnpm("other-global-2", "9.15.9")])).toEqual(commands("node_modules/.bin/pnpm"))
  })

  it("says plain pnpm when the pnpm on PATH is the workspace's version", async () => {
    expect(await nextSteps([fakePnpm("same-global", workspacePnpm ?? "")])).toEqual(commands("pnpm"))
  })
})
