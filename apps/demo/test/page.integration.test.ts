/**
 * The demo page in real Chromium against a real sandbox: what a person sees after each click, and
 * what the manager does by itself (refresh-ahead, degraded, recovery). After every test the page's
 * markup, text, storages and console are searched for the secret keys and every whole token the
 * page received.
 */
import { authErrorHints } from "@ipos/auth-core"
import { demoCredentials } from "@ipos/auth-sandbox"
import type { Page } from "playwright-core"
import { afterEach, describe, expect, it } from "vitest"
import { type DemoPage, exposedText, openDemo, useBrowserAndSandbox } from "./support/browser.js"

const wrongSecret = "wrong-secret-key-0427"
const secrets = [...demoCredentials.map((c) => c.secretKey), wrongSecret]

const fx = useBrowserAndSandbox()
let demo: DemoPage | undefined

afterEach(async () => {
  if (demo === undefined) return
  const places = await exposedText(demo)
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) expect(text.includes(secret), `a secret key in ${place}`).toBe(false)
    for (const token of demo.tokens) expect(text.includes(token), `a whole token in ${place}`).toBe(false)
  }
  // The core runs in the page without an uncaught error or a console error of its own (the
  // browser's own "Failed to load resource" lines for refused requests are expected: 401, 503).
  expect(
    demo.console.filter((line) => /^(error|pageerror)/.test(line) && !line.includes("Failed to load resource"))
  ).toEqual([])
  await demo.page.close()
  demo = undefined
})

const open = async (sandboxUrl = fx.sandbox.url): Promise<Page> => {
  demo = await openDemo(fx.browser, sandboxUrl)
  return demo.page
}

const claim = (page: Page, name: string) =>
  page.locator("#jwt-claims div", { has: page.locator(`dt:text-is("${name}")`) }).locator("dd")
const seconds = async (page: Page, name: string) => Number((await claim(page, name).textContent())?.split(" ")[0])
const timelineTitles = (page: Page) => page.locator("#timeline .what").allTextContents()

const getToken = async (page: Page) => {
  await page.click("#get-token")
  await expect
    .poll(() =>
      claim(page, "scope")
        .textContent()
        .catch(() => null)
    )
    .toBe("paymentTokenize")
}

const shortLived = async (page: Page) => {
  await page.click("#short-lived")
  await expect.poll(() => page.getAttribute("#short-lived", "aria-pressed")).toBe("true")
}

describe("the demo page", () => {
  it("mints a token and shows its decoded header and claims, the token only shortened", async () => {
    const page = await open()
    await getToken(page)

    expect(await page.locator("#jwt-header dd").allTextContents()).toEqual(["RS256"])
    expect(await claim(page, "uniqueId").textContent()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/
    )
    expect((await seconds(page, "exp")) - (await seconds(page, "iat"))).toBe(3600) // the 60-minute default
    expect(await page.textContent("#token-short")).toMatch(/^eyJhbGciOiJS…[A-Za-z0-9_-]{6}$/)
    expect(await page.textContent("#state-badge")).toBe("Valid")
    expect(await timelineTitles(page)).toEqual(["Acquired"])
    await expect.poll(() => page.textContent("#count-authenticated")).toBe("1") // the core's metrics
    expect(await page.textContent("#count-requestsOk")).toBe("1")
    expect(await page.textContent("#count-retries")).toBe("0")
    expect(fx.sandbox.counters().requests["/v1/authenticate-token"]).toBe(1)
  })

  it("refreshes 20-second tokens ahead of expiry without any click", async () => {
    const page = await open()
    await shortLived(page)
    await getToken(page)
    expect((await seconds(page, "exp")) - (await seconds(page, "iat"))).toBe(20)
    const first = await page.textContent("#token-short")

    // The window of a 20 s token starts 6–11 s before expiry: a refresh within ~15 s, by itself.
    await expect.poll(() => timelineTitles(page), { timeout: 45_000, interval: 500 }).toContain("Refreshed")
    expect(fx.sandbox.counters().requests["/v1/refresh-token"]).toBeGreaterThanOrEqual(1)
    await expect.poll(() => page.textContent("#token-short"), { timeout: 5_000 }).not.toBe(first)
    expect(await page.textContent("#token-via")).toBe("PaymentTokenization · refreshed")
    await expect.poll(async () => Number(await page.textContent("#count-refreshed"))).toBeGreaterThanOrEqual(1)
  })

  it("during an outage turns degraded while still serving the held token, then recovers", async () => {
    const page = await open()
    await shortLived(page)
    await getToken(page)
    const held = (await page.textContent("#token-short"))?.slice(-7)

    await page.selectOption("#outage-seconds", "10")
    await page.click("#outage")
    await expect.poll(() => page.locator("#active-faults li").first().textContent()).toMatch(/^Outage/)
    await page.click("#refresh-now")

    await expect.poll(() => page.textContent("#state-badge"), { timeout: 30_000 }).toBe("Degraded")
    expect(await page.isVisible("#degraded-badge")).toBe(true)
    expect(await page.textContent("#degraded-note")).toContain("the held token is still served")
    await page.click("#call-api")
    await expect.poll(() => page.textContent("#api-result")).toMatch(new RegExp(`^200 OK with token ${held}`))

    await expect.poll(() => timelineTitles(page), { timeout: 60_000, interval: 500 }).toContain("Recovered")
    await expect.poll(() => page.isVisible("#degraded-badge")).toBe(false)
    expect(await page.textContent("#state-badge")).not.toBe("Degraded")
    expect(await timelineTitles(page)).toContain("Refresh failed")
    // The core retried the 503s before giving up on each call, and counted the failed calls.
    expect(Number(await page.textContent("#count-retries"))).toBeGreaterThan(0)
    expect(Number(await page.textContent("#count-requestsFailed"))).toBeGreaterThan(0)
  })

  it("shows AUTH_ERR_004 with the vendor's message and the core's hint for a wrong secret", async () => {
    const page = await open()
    await page.fill("#secret-key", wrongSecret)
    await page.click("#get-token")

    await expect.poll(() => page.isVisible("#error-card")).toBe(true)
    expect(await page.textContent("#error-title")).toBe("AUTH_ERR_004 · refused")
    expect(await page.textContent("#error-vendor")).toBe("Invalid Credentials, Please Contact Support Team.")
    expect(await page.textContent("#error-hint")).toBe(authErrorHints.AUTH_ERR_004)
    expect(await page.textContent("#state-badge")).toBe("No token")
    expect(await timelineTitles(page)).toEqual(["Acquisition failed"])
  })

  it("shows AUTH_ERR_005 with the allowed scopes for an Agent Office asking for PaymentTokenization", async () => {
    const page = await open()
    await page.selectOption("#level", "agentOffice")
    await page.selectOption("#scope", "PaymentTokenization")
    await page.click("#get-token")

    await expect.poll(() => page.textContent("#error-title")).toBe("AUTH_ERR_005 · refused")
    expect(await page.textContent("#error-hint")).toBe(authErrorHints.AUTH_ERR_005)
  })

  it("refuses an expiry of 10 minutes in the core, before anything is sent", async () => {
    const page = await open()
    await page.selectOption("#expiry", "10")
    await page.click("#get-token")

    await expect.poll(() => page.textContent("#error-title")).toBe("ValidationError")
    expect(await page.textContent("#error-message")).toBe("Invalid expiryMinutes: 10 is not an integer from 30 to 1440")
    expect(await page.isVisible("#error-vendor")).toBe(false)
    expect(fx.sandbox.counters().requests["/v1/authenticate-token"]).toBe(0)
  })

  it("talks to the sandbox typed into the field when the URL names none, and keeps it in the address bar", async () => {
    const page = await open("")
    expect(await page.inputValue("#sandbox-url")).toBe("")
    await page.fill("#sandbox-url", fx.sandbox.url)
    await page.press("#sandbox-url", "Tab")
    await expect
      .poll(() => page.evaluate(() => new URLSearchParams(location.search).get("sandbox")))
      .toBe(fx.sandbox.url)
    await getToken(page)
    expect(fx.sandbox.counters().requests["/v1/authenticate-token"]).toBe(1)
  })

  it("calls the protected API with the held token, and after a revocation with a new one", async () => {
    const page = await open()
    await getToken(page)
    const uniqueId = await claim(page, "uniqueId").textContent()

    await page.click("#call-api")
    await expect.poll(() => page.getAttribute("#api-result", "data-outcome")).toBe("Answered")
    const answer = await page.textContent("#api-result")
    expect(answer).toMatch(/^200 OK with token …[A-Za-z0-9_-]{6} · echoed claims: /)
    expect(answer).toContain(`"uniqueId":"${uniqueId}"`)
    expect(fx.sandbox.counters().requests).toMatchObject({ "/v1/authenticate-token": 1, "/api": 1 })

    await page.click("#revoke")
    await expect.poll(() => page.textContent("#api-result")).toMatch(/^Revoked …/)
    await page.click("#call-api")
    await expect.poll(() => page.textContent("#api-result")).toMatch(/^200 OK with token …\S+ after a 401/)
    expect(await timelineTitles(page)).toEqual(["Acquired", "Invalidated", "Acquired"])
    expect(await claim(page, "uniqueId").textContent()).not.toBe(uniqueId)
  })

  it("never exposes a secret key or a whole token, whatever was clicked", async () => {
    const page = await open()
    expect(await page.getAttribute("#secret-key", "type")).toBe("password")
    await getToken(page)
    await page.click("#refresh-now")
    await expect.poll(() => page.textContent("#token-via")).toBe("PaymentTokenization · refreshed")
    await page.click("#call-api")
    await expect.poll(() => page.getAttribute("#api-result", "data-outcome")).toBe("Answered")
    await page.selectOption("#scope", "Recurring")
    await page.click("#get-token")
    await expect.poll(() => claim(page, "scope").textContent()).toBe("recurring")
    await page.fill("#secret-key", wrongSecret)
    await page.click("#get-token")
    await expect.poll(() => page.isVisible("#error-card")).toBe(true)

    // The afterEach search is only as good as what it searches for.
    // Two tokens at least (a refresh within the same second may return the same bytes).
    expect(demo?.tokens.size).toBeGreaterThanOrEqual(2)
    expect(await page.inputValue("#secret-key")).toBe(wrongSecret)
  })
})
