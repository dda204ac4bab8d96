/**
 * Playwright on Debian's Chromium for the demo's tests: one headless browser per test file with a
 * fresh profile, a page per test opened on the static bundle and pointed at a sandbox, and a
 * record of everything a leak could hide in (tokens the page received, console output).
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, beforeEach, inject } from "vitest"

/** Chromium flags: headless, no sandbox (root in CI), nothing that phones home. */
export const chromiumFlags: ReadonlyArray<string> = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/** A launched browser and how to close it (profile removed too). */
export interface Browser {
  readonly context: BrowserContext
  readonly close: () => Promise<void>
}

/**
 * Launches Chromium with a fresh `--user-data-dir`.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser()
 * afterAll(() => browser.close())
 * ```
 */
export const launchBrowser = async (): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), "ipos-demo-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: inject("chromiumPath"),
    headless: true,
    args: [...chromiumFlags],
    viewport: { width: 1280, height: 800 },
    timeout: 60_000
  })
  context.setDefaultTimeout(20_000)
  return {
    context,
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  }
}

/** A page on the demo with what it received and printed. */
export interface DemoPage {
  readonly page: Page
  /** Every token the sandbox sent to the page (read off the network, never off the page). */
  readonly tokens: Set<string>
  /** Every console message and uncaught error of the page. */
  readonly console: Array<string>
}

/**
 * Opens the static demo pointed at a sandbox (`?sandbox=`), recording tokens and console output.
 *
 * @example
 * ```ts
 * const demo = await openDemo(browser, sandbox.url)
 * await demo.page.click("#get-token")
 * ```
 */
export const openDemo = async (browser: Browser, sandboxUrl: string): Promise<DemoPage> => {
  const page = await browser.context.newPage()
  const tokens = new Set<string>()
  const consoleLines: Array<string> = []
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`))
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`))
  // Token answers are recorded by fetching them on the test's side and handing them to the page
  // unchanged: reading bodies back from the browser (a "response" listener) loses some on a busy
  // machine, and a token missing here would be a token the leak search does not look for.
  await page.route(
    (url) => /\/v1\/(authenticate|refresh)-token$/.test(url.pathname),
    async (route) => {
      if (route.request().method() !== "POST") return route.continue()
      const response = await route.fetch().catch(() => undefined)
      // Unreachable (a test's dead address): the browser tries itself and fails as it would.
      if (response === undefined) return route.continue()
      const body: unknown = await response.json().catch(() => undefined)
      if (typeof body === "object" && body !== null && "token" in body && typeof body.token === "string") {
        tokens.add(body.token)
      }
      await route.fulfill({ response })
    }
  )
  await page.goto(`${inject("pageUrl")}?sandbox=${encodeURIComponent(sandboxUrl)}`)
  await page.waitForSelector("#level option", { state: "attached" })
  return { page, tokens, console: consoleLines }
}

/**
 * Everything a secret could leak into: the markup (attributes included), the visible text, both
 * storages and the console.
 *
 * @example
 * ```ts
 * const places = await exposedText(demo)
 * ```
 */
export const exposedText = async (demo: DemoPage): Promise<Record<string, string>> => {
  const inPage = await demo.page.evaluate(() => {
    const dump = (storage: Storage) =>
      Array.from({ length: storage.length }, (_, i) => {
        const key = storage.key(i) ?? ""
        return `${key}=${storage.getItem(key) ?? ""}`
      }).join("\n")
    return {
      markup: document.documentElement.outerHTML,
      text: document.body.textContent ?? "",
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      url: location.href
    }
  })
  return { ...inPage, console: demo.console.join("\n") }
}

/**
 * A Chromium and a sandbox that answers CORS for the page, shared by one test file: started once,
 * the sandbox reset before each test, both stopped at the end.
 *
 * @example
 * ```ts
 * const fx = useBrowserAndSandbox()
 * it("…", async () => { const { page } = await openDemo(fx.browser, fx.sandbox.url) })
 * ```
 */
export const useBrowserAndSandbox = (): { readonly browser: Browser; readonly sandbox: Sandbox } => {
  let browser: Browser | undefined
  let sandbox: Sandbox | undefined
  beforeAll(async () => {
    sandbox = await startSandbox({ corsOrigin: new URL(inject("pageUrl")).origin })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await sandbox?.stop()
  })
  beforeEach(() => sandbox?.reset())
  return {
    get browser() {
      return browser!
    },
    get sandbox() {
      return sandbox!
    }
  }
}
