import { execFile } from "node:child_process"
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

// Proves `pnpm check:generated` (scripts/generate.mjs --check) on copies: the committed
// src/generated matches the spec, a spec edit makes the check fail, and regenerating fixes it.
const run = promisify(execFile)
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const script = join(packageDir, "scripts/generate.mjs")
const spec = join(packageDir, "../../spec/openapi.yaml")

const check = (args: ReadonlyArray<string>) =>
  run(process.execPath, [script, ...args], { cwd: packageDir }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: error.stdout + error.stderr
    })
  )

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "ipos-check-generated-"))
  await cp(join(packageDir, "src/generated"), join(work, "generated"), { recursive: true })
  const edited = (await readFile(spec, "utf8")).replace(
    "enum: [PaymentTokenization, Recurring, BatchReport, ExternalApi]",
    "enum: [PaymentTokenization, Recurring, BatchReport, ExternalApi, Settlement]"
  )
  await writeFile(join(work, "edited.yaml"), edited)
})
afterAll(() => rm(work, { recursive: true, force: true }))

describe("check:generated", () => {
  it("passes on the committed output and the committed spec", async () => {
    expect(await check(["--check", "--out", join(work, "generated")])).toEqual({
      code: 0,
      output: "src/generated is up to date with spec/openapi.yaml (17 files)\n"
    })
  })

  it("fails after a spec edit without regeneration, naming the stale files", async () => {
    const result = await check(["--check", "--spec", join(work, "edited.yaml"), "--out", join(work, "generated")])
    expect(result.code).toBe(1)
    expect(result.output).toContain("generated clients are out of date with spec/openapi.yaml")
    expect(result.output).toContain("stale:   src/generated/paths.gen.ts")
    expect(result.output).toContain("stale:   src/generated/sdk/types.gen.ts")
  })

  it("passes again once the edited spec is regenerated", async () => {
    const args = ["--spec", join(work, "edited.yaml"), "--out", join(work, "generated")]
    expect((await check(args)).code).toBe(0)
    expect(await readFile(join(work, "generated/sdk/types.gen.ts"), "utf8")).toContain("'Settlement'")
    expect((await check(["--check", ...args])).code).toBe(0)
    // Two generator runs in child processes: seconds on a quiet machine, far longer on a busy one.
  }, 180_000)
})
