/**
 * The page as a person meets it: axe-core finds no serious or critical violation (before and
 * after a token is held, with an error shown), everything works from the keyboard, nothing moves
 * while the countdown runs — and the README's screenshots, taken at laptop and phone widths.
 */
import { mkdir } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import AxeBuilder from "@axe-core/playwright"
import type { Page } from "playwright-core"
import { afterEach, describe, expect, it } from "vitest"
import { openDemo, useBrowserAndSandbox } from "./support/browser.js"

// The committed README screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test
// run leaves the working tree clean; otherwise they go to the git-ignored test-results folder.
const docs = join(
  dirname(fileURLToPath(import.meta.url)),
  process.env.UPDATE_SCREENSHOTS === "1" ? "../docs" : "../test-results"
)

const fx = useBrowserAndSandbox()
let page: Page | undefined

afterEach(async () => {
  await page?.close()
  page = undefined
})

const open = async (): Promise<Page> => {
  page = (await openDemo(fx.browser, fx.sandbox.url)).page
  return page
}

const seriousViolations = async (p: Page) => {
  const { violations } = await new AxeBuilder({ page: p }).analyze()
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)
}

const holdsToken = (p: Page) =>
  expect.poll(() => p.locator("#jwt-claims dd").first().textContent()).toBe("paymentTokenize")

// Where every panel and live value sits, to the pixel.
const boxes = (p: Page) =>
  p.evaluate(() =>
    Array.from(document.querySelectorAll(".panel, #bar, #time-left, #timeline li, #active-faults")).map((e) => {
      const r = e.getBoundingClientRect()
      return `${e.id || e.className} ${r.x},${r.y} ${r.width}x${r.height}`
    })
  )

describe("the demo page for people", () => {
  it("has no serious or critical accessibility violation, empty, holding a token and showing an error", async () => {
    const p = await open()
    expect(await seriousViolations(p)).toEqual([])
    await p.click("#get-token")
    await holdsToken(p)
    await p.click("#call-api")
    await expect.poll(() => p.getAttribute("#api-result", "data-outcome")).toBe("Answered")
    expect(await seriousViolations(p)).toEqual([])
    await p.fill("#secret-key", "not-the-secret")
    await p.click("#get-token")
    await expect.poll(() => p.isVisible("#error-card")).toBe(true)
    expect(await seriousViolations(p)).toEqual([])
  })

  it("works from the keyboard alone", async () => {
    const p = await open()
    const focused = () => p.evaluate(() => document.activeElement?.id ?? "")
    const tabTo = async (id: string) => {
      for (let i = 0; i < 30 && (await focused()) !== id; i++) await p.keyboard.press("Tab")
      expect(await focused()).toBe(id)
    }
    await tabTo("get-token")
    await p.keyboard.press("Enter")
    await holdsToken(p)
    await tabTo("call-api")
    await p.keyboard.press("Enter")
    await expect.poll(() => p.getAttribute("#api-result", "data-outcome")).toBe("Answered")
  })

  it("brings the token card, or the error card, into view at phone width after a click", async () => {
    const p = await open()
    await p.setViewportSize({ width: 390, height: 844 })
    const inView = (selector: string) =>
      p.evaluate((s) => {
        const box = document.querySelector(s)?.getBoundingClientRect()
        return box !== undefined && box.top < window.innerHeight && box.bottom > 0
      }, selector)
    expect(await inView("#token-card")).toBe(false)
    await p.click("#get-token")
    await holdsToken(p)
    await expect.poll(() => inView("#token-card")).toBe(true)
    await p.evaluate(() => window.scrollTo(0, 0))
    await p.fill("#secret-key", "not-the-secret")
    await p.click("#get-token")
    await expect.poll(() => inView("#error-card")).toBe(true)
  })

  it("writes the state badge, a live region, only when the state changes", async () => {
    const p = await open()
    await p.click("#get-token")
    await holdsToken(p)
    await p.evaluate(() => {
      const w = window as unknown as { badgeWrites: number }
      w.badgeWrites = 0
      new MutationObserver((records) => {
        w.badgeWrites += records.length
      }).observe(document.getElementById("state-badge") as HTMLElement, {
        childList: true,
        characterData: true,
        subtree: true
      })
    })
    await p.waitForTimeout(1500) // six ticks of the countdown
    expect(await p.evaluate(() => (window as unknown as { badgeWrites: number }).badgeWrites)).toBe(0)
  })

  it("keeps every box in place while the countdown runs", async () => {
    const p = await open()
    await p.click("#short-lived")
    await p.click("#get-token")
    await holdsToken(p)
    await p.waitForTimeout(300)
    const before = await boxes(p)
    await p.waitForTimeout(2500)
    expect(await p.textContent("#time-left")).toMatch(/^0:1\d$/)
    expect(await boxes(p)).toEqual(before)
  })

  it("takes the README's screenshots at laptop and phone widths", async () => {
    const p = await open()
    await p.click("#short-lived")
    await p.click("#get-token")
    await holdsToken(p)
    await p.click("#call-api")
    await expect.poll(() => p.getAttribute("#api-result", "data-outcome")).toBe("Answered")
    await expect
      .poll(() => p.locator("#timeline .what").allTextContents(), { timeout: 45_000, interval: 500 })
      .toContain("Refreshed")
    await mkdir(docs, { recursive: true })
    await p.setViewportSize({ width: 1280, height: 800 })
    await p.screenshot({ path: join(docs, "demo.png"), fullPage: true, animations: "disabled" })
    await p.setViewportSize({ width: 390, height: 844 })
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBe(390) // no sideways scrolling
    expect(await seriousViolations(p)).toEqual([])
    await p.screenshot({ path: join(docs, "demo-phone.png"), fullPage: true, animations: "disabled" })
  })
})
