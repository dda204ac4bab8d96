import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { cleanEnv } from "./support/runCli.js"

// The Quick start's main job (`npm start`), run to the end with --exit.
const script = join(dirname(fileURLToPath(import.meta.url)), "../scripts/walkthrough.mjs")

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
    expect(stdout).toContain("   ipos-auth: AUTH_ERR_004: Invalid Credentials, Please Contact Support Team.\n")
    expect(stdout.match(/\(exit \d\)/g)).toEqual(["(exit 0)", "(exit 0)", "(exit 0)", "(exit 3)", "(exit 2)"])
    expect(stdout).not.toContain("demo-merchant-secret-key")
    const issued = [...stdout.matchAll(/"issuedAt": "([^"]+)"/g)].map((m) => m[1])
    expect(issued).toHaveLength(2)
    expect(Date.parse(issued[1] ?? "")).toBeGreaterThan(Date.parse(issued[0] ?? ""))
    expect(stdout.trimEnd().endsWith("Done.")).toBe(true)
  })
})
