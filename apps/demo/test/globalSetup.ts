/**
 * Once per test run: a Chromium to drive (installed by `tooling/scripts/ensure-chromium.sh` when
 * missing and the machine allows it; otherwise the run FAILS with the reason, it never skips),
 * and the static bundle built by Vite and served by `vite preview` on a free 127.0.0.1 port —
 * the same files a user would put on any static server. Each test file starts its own sandbox.
 */
import { spawnSync } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "@ipos/testing"
import { build, preview } from "vite"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    /** The static page, e.g. `http://127.0.0.1:41234/`. */
    readonly pageUrl: string
    /** The Chromium executable Playwright launches. */
    readonly chromiumPath: string
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const ensureChromium = join(root, "../../tooling/scripts/ensure-chromium.sh")

const findChromium = (): string => {
  const run = spawnSync("bash", [ensureChromium], { encoding: "utf8", timeout: 10 * 60_000 })
  const path = run.stdout.trim().split("\n").pop() ?? ""
  if (run.status !== 0 || path === "") {
    throw new Error(
      [
        "The browser demo's tests need Chromium and none could be had.",
        run.stderr.trim() || run.error?.message || `ensure-chromium.sh exited with ${run.status}`,
        "Install it (as root: apt-get install -y chromium) or set CHROMIUM_PATH, then run the tests again."
      ].join("\n")
    )
  }
  return path
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Playwright's own browser download cannot work here: Debian's Chromium is driven instead.
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1"
  const chromiumPath = findChromium()
  const outDir = await mkdtemp(join(tmpdir(), "ipos-demo-dist-"))
  await build({ root, logLevel: "warn", build: { outDir, emptyOutDir: true, sourcemap: false } })
  const port = await freePort()
  const server = await preview({
    root,
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port, strictPort: true, open: false }
  })
  project.provide("chromiumPath", chromiumPath)
  project.provide("pageUrl", `http://127.0.0.1:${port}/`)
  return async () => {
    await server.close()
    await rm(outDir, { recursive: true, force: true })
  }
}
