/**
 * The page: wires the credentials panel, the core's token manager (`createTokenManager` with
 * `keepFresh`, so refresh-ahead happens by itself), the token card with its countdown, the event
 * timeline and counters, the protected-API call and the fault buttons. Keys and tokens live only
 * in memory here: nothing is stored, logged or written to the DOM whole.
 */
import {
  createTokenManager,
  type PromiseTokenManager,
  type Scope,
  scopes,
  type TokenEvent,
  type TokenStatus
} from "@ipos/auth-core"
import { readCoreMetrics } from "./coreMetrics.js"
import { countdown } from "./countdown.js"
import { demoCredentials } from "./demoCredentials.js"
import { byId, fillPairs, make } from "./dom.js"
import { describeFailure, describeSummary, type FailureView } from "./failureView.js"
import { callProtectedApi } from "./ProtectedApi.js"
import { clockDuration, relativeTime } from "./relativeTime.js"
import { type FaultPatch, type FaultsSnapshot, sandboxControl } from "./SandboxControl.js"
import { initialSandboxUrl, isLoopback, sandboxOrigin } from "./sandboxUrl.js"
import { describeEvent, type TimelineEntry } from "./timeline.js"
import { barTimes, clockTime, type TokenView, tokenView } from "./tokenView.js"

const ui = {
  form: byId("credentials-form", HTMLFormElement),
  url: byId("sandbox-url", HTMLInputElement),
  level: byId("level", HTMLSelectElement),
  apiKey: byId("api-key", HTMLInputElement),
  secretKey: byId("secret-key", HTMLInputElement),
  scope: byId("scope", HTMLSelectElement),
  expiry: byId("expiry", HTMLSelectElement),
  scopeHelp: byId("scope-help", HTMLParagraphElement),
  urlWarning: byId("url-warning", HTMLParagraphElement),
  getToken: byId("get-token", HTMLButtonElement),
  refreshNow: byId("refresh-now", HTMLButtonElement),
  stateBadge: byId("state-badge", HTMLSpanElement),
  degradedBadge: byId("degraded-badge", HTMLSpanElement),
  degradedNote: byId("degraded-note", HTMLParagraphElement),
  tokenShort: byId("token-short", HTMLElement),
  tokenVia: byId("token-via", HTMLSpanElement),
  bar: byId("bar", HTMLDivElement),
  barWindow: byId("bar-window", HTMLDivElement),
  barFill: byId("bar-fill", HTMLDivElement),
  timeLeft: byId("time-left", HTMLElement),
  timeIssued: byId("time-issued", HTMLElement),
  timeRefresh: byId("time-refresh", HTMLElement),
  timeExpires: byId("time-expires", HTMLElement),
  jwtHeader: byId("jwt-header", HTMLElement),
  jwtClaims: byId("jwt-claims", HTMLElement),
  errorCard: byId("error-card", HTMLElement),
  tokenCard: byId("token-card", HTMLElement),
  errorTitle: byId("error-title", HTMLHeadingElement),
  errorVendorLabel: byId("error-vendor-label", HTMLElement),
  errorVendor: byId("error-vendor", HTMLElement),
  errorHint: byId("error-hint", HTMLElement),
  errorMessage: byId("error-message", HTMLElement),
  errorDismiss: byId("error-dismiss", HTMLButtonElement),
  callApi: byId("call-api", HTMLButtonElement),
  apiResult: byId("api-result", HTMLOutputElement),
  timeline: byId("timeline", HTMLOListElement),
  served: byId("count-served", HTMLElement),
  sandboxCalls: byId("count-sandbox", HTMLElement),
  outageSeconds: byId("outage-seconds", HTMLSelectElement),
  outage: byId("outage", HTMLButtonElement),
  failCount: byId("fail-count", HTMLSelectElement),
  failNext: byId("fail-next", HTMLButtonElement),
  shortLived: byId("short-lived", HTMLButtonElement),
  revoke: byId("revoke", HTMLButtonElement),
  clearFaults: byId("clear-faults", HTMLButtonElement),
  activeFaults: byId("active-faults", HTMLUListElement)
}

const stateLabels: Readonly<Record<TokenStatus["state"], string>> = {
  empty: "No token",
  acquiring: "Acquiring…",
  valid: "Valid",
  refreshing: "Refreshing…",
  degraded: "Degraded",
  expired: "Expired"
}

// Page state, in memory only.
let manager: PromiseTokenManager | undefined
let managerKey = ""
let unsubscribe: () => void = () => {}
let shownScope: Scope = "PaymentTokenization"
let view: TokenView | undefined
let entries: Array<TimelineEntry> = []
let served = 0
let faults: FaultsSnapshot | undefined

// --- credentials panel -------------------------------------------------------------------------

const selectedCredential = () => demoCredentials.find((c) => c.level === ui.level.value) ?? demoCredentials[0]!

const applyCredential = () => {
  const credential = selectedCredential()
  // Set as properties, never as attributes: the secret stays out of the page's markup.
  ui.apiKey.value = credential.apiKey
  ui.secretKey.value = credential.secretKey
  ui.scopeHelp.textContent = `${credential.label} may ask for ${credential.scopes.join(", ")}. Other scopes show AUTH_ERR_005.`
}

ui.level.replaceChildren(
  ...demoCredentials.map((c) => {
    const option = make("option", "", `${c.label} (demo)`)
    option.value = c.level
    return option
  })
)
ui.scope.replaceChildren(
  ...scopes.map((s) => {
    const option = make("option", "", s)
    option.value = s
    return option
  })
)
ui.url.value = initialSandboxUrl(location.search, import.meta.env.VITE_SANDBOX_URL)
applyCredential()
ui.level.addEventListener("change", applyCredential)

const sandboxUrl = (): string | undefined => sandboxOrigin(ui.url.value)

// Keys are sent only on a click, but a link may have named the sandbox: say where they would go.
const warnAboutUrl = () => {
  const origin = sandboxUrl()
  ui.urlWarning.hidden = origin === undefined || isLoopback(origin)
  ui.urlWarning.textContent =
    origin === undefined ? "" : `Not on this machine: the keys in these fields would be sent to ${origin}.`
}
warnAboutUrl()

ui.url.addEventListener("change", () => {
  warnAboutUrl()
  const origin = sandboxUrl()
  // Kept in the address bar so a reload (or a shared link) talks to the same sandbox.
  if (origin !== undefined) history.replaceState(null, "", `?sandbox=${encodeURIComponent(origin)}`)
  void pollSandbox()
})

// --- error card ----------------------------------------------------------------------------------

const showError = (failure: FailureView) => {
  ui.errorTitle.textContent = failure.code === undefined ? failure.title : `${failure.code} · refused`
  // Only a refusal carries a vendor message; other failures show none rather than a dash.
  ui.errorVendor.textContent = failure.vendorMessage ?? ""
  ui.errorVendorLabel.hidden = failure.vendorMessage === undefined
  ui.errorVendor.hidden = failure.vendorMessage === undefined
  ui.errorHint.textContent = failure.hint ?? "—"
  ui.errorMessage.textContent = failure.message
  ui.errorCard.hidden = false
}
const clearError = () => {
  ui.errorCard.hidden = true
}
ui.errorDismiss.addEventListener("click", () => {
  clearError()
  ui.getToken.focus()
})

// --- token card ----------------------------------------------------------------------------------

const renderToken = () => {
  if (view === undefined) {
    ui.tokenShort.textContent = "no token yet"
    ui.tokenVia.textContent = ""
    fillPairs(ui.jwtHeader, [["—", ""]])
    fillPairs(ui.jwtClaims, [["—", ""]])
    ui.timeIssued.textContent = "—"
    ui.timeRefresh.textContent = "—"
    ui.timeExpires.textContent = "—"
    return
  }
  ui.tokenShort.textContent = view.short
  ui.tokenVia.textContent = `${shownScope} · ${view.via}`
  fillPairs(ui.jwtHeader, view.header)
  fillPairs(ui.jwtClaims, view.claims)
  ui.timeIssued.textContent = clockTime(view.issuedAt)
  ui.timeRefresh.textContent = clockTime(view.refreshAt)
  ui.timeExpires.textContent = clockTime(view.expiresAt)
}

// The held token for the card: a cache hit of the manager (not counted as served to the page).
const showHeldToken = async () => {
  if (manager === undefined) return
  view = tokenView(await manager.getTokenInfo(shownScope))
  renderToken()
  tick()
}

// Runs four times a second: only transforms and fixed-width texts change, so nothing moves.
const tick = () => {
  const status = manager?.status(shownScope)
  const state = status?.state ?? "empty"
  // Written only on a change: the badge sits in a live region, and screen readers announce each write.
  if (ui.stateBadge.dataset.state !== state) {
    ui.stateBadge.dataset.state = state
    ui.stateBadge.textContent = stateLabels[state]
  }
  const degraded = status?.degraded === true
  ui.degradedBadge.hidden = !degraded
  ui.degradedNote.hidden = !degraded
  if (degraded && status !== undefined) {
    ui.degradedNote.textContent = `Refreshes are failing (${status.consecutiveFailures} in a row${
      status.lastError === undefined ? "" : `: ${status.lastError.message}`
    }); the held token is still served until it expires.`
  }
  const now = Date.now()
  const held = view !== undefined && status?.fingerprint === view.fingerprint ? view : undefined
  if (held === undefined) {
    ui.barFill.style.transform = "scaleX(0)"
    ui.timeLeft.textContent = view === undefined ? "—" : "0:00"
    ui.bar.setAttribute("aria-valuenow", "0")
    ui.bar.setAttribute("aria-valuetext", "no token held")
  } else {
    const bar = countdown(barTimes(held, status?.usableUntil), now)
    ui.barFill.style.transform = `scaleX(${bar.remaining})`
    ui.barWindow.style.left = `${bar.windowStart * 100}%`
    ui.barWindow.style.width = `${Math.max(0, bar.windowEnd - bar.windowStart) * 100}%`
    ui.bar.style.setProperty("--margin-width", `${(1 - bar.windowEnd) * 100}%`)
    ui.bar.dataset.phase = bar.phase
    ui.timeLeft.textContent = clockDuration(bar.msLeft)
    ui.bar.setAttribute("aria-valuenow", String(Math.round(bar.remaining * 100)))
    ui.bar.setAttribute("aria-valuetext", `${clockDuration(bar.msLeft)} left`)
  }
  renderFaults(now)
}

// --- timeline and counters ----------------------------------------------------------------------

const renderTimeline = () => {
  const now = Date.now()
  if (entries.length === 0) {
    ui.timeline.replaceChildren(make("li", "muted empty", "Events from the manager appear here."))
    return
  }
  ui.timeline.replaceChildren(
    ...entries.map((entry) => {
      const item = make("li", `entry ${entry.tone}`)
      const when = make("time", "when", relativeTime(entry.at, now))
      when.dateTime = new Date(entry.at).toISOString()
      when.title = clockTime(entry.at)
      item.append(make("span", "dot"), make("strong", "what", entry.title), when, make("span", "detail", entry.detail))
      return item
    })
  )
}

const refreshRelativeTimes = () => {
  const now = Date.now()
  ui.timeline.querySelectorAll("time.when").forEach((element) => {
    if (element instanceof HTMLTimeElement) element.textContent = relativeTime(Date.parse(element.dateTime), now)
  })
}

const renderCounters = () => {
  for (const [name, value] of Object.entries(readCoreMetrics())) {
    const element = document.getElementById(`count-${name}`)
    if (element !== null) element.textContent = String(value)
  }
  ui.served.textContent = String(served)
}

const onEvent = (event: TokenEvent) => {
  entries = [describeEvent(event), ...entries].slice(0, 50)
  renderTimeline()
  renderCounters()
  if (event.scope !== shownScope) return
  if (event._tag === "Minted" || event._tag === "Refreshed") void showHeldToken().catch(() => {})
  if (event._tag === "AcquisitionFailed") showError(describeSummary(event.error))
  // After the manager has finished handling the event: the badge and bar follow at once.
  queueMicrotask(tick)
  void pollSandbox()
}

// --- the manager -------------------------------------------------------------------------------

const settings = () => ({
  baseUrl: ui.url.value.trim(),
  apiKey: ui.apiKey.value,
  secretKey: ui.secretKey.value,
  expiryMinutes: Number(ui.expiry.value)
})

// One manager per sandbox URL, credentials and expiry; scopes are kept apart inside it.
const managerFor = async (): Promise<PromiseTokenManager> => {
  const next = settings()
  const key = JSON.stringify(next)
  if (manager !== undefined && key === managerKey) return manager
  unsubscribe()
  await manager?.close()
  view = undefined
  renderToken()
  manager = createTokenManager({ ...next, keepFresh: true })
  managerKey = key
  unsubscribe = manager.onEvent(onEvent)
  return manager
}

// On a phone the cards sit below the credentials and faults: bring the answer into view (focus stays
// on the button) when it is off screen, so a click visibly does something.
const reveal = (element: HTMLElement) => {
  const box = element.getBoundingClientRect()
  if (box.top >= window.innerHeight || box.bottom <= 0) element.scrollIntoView({ block: "start" })
}

const busy = async (button: HTMLButtonElement, work: () => Promise<void>) => {
  button.disabled = true
  button.setAttribute("aria-busy", "true")
  try {
    await work()
  } finally {
    button.disabled = false
    button.removeAttribute("aria-busy")
  }
}

ui.form.addEventListener("submit", (event) => {
  event.preventDefault()
  void busy(ui.getToken, async () => {
    clearError()
    shownScope = ui.scope.value as Scope
    const current = await managerFor()
    try {
      await current.getTokenInfo(shownScope)
      served += 1
      renderCounters()
      await showHeldToken()
      reveal(ui.tokenCard)
    } catch (error) {
      view = undefined
      renderToken()
      showError(describeFailure(error))
      reveal(ui.errorCard)
    }
    tick()
  })
})

ui.refreshNow.addEventListener("click", () => {
  void busy(ui.refreshNow, async () => {
    if (manager === undefined) return ui.getToken.click()
    clearError()
    try {
      await manager.refresh(shownScope)
      await showHeldToken()
    } catch (error) {
      showError(describeFailure(error))
    }
    tick()
  })
})

ui.callApi.addEventListener("click", () => {
  void busy(ui.callApi, async () => {
    const base = sandboxUrl()
    if (manager === undefined || base === undefined) {
      ui.apiResult.textContent = "Get a token first."
      return
    }
    const outcome = await callProtectedApi(manager, shownScope, base)
    served += outcome._tag === "Failed" ? 0 : outcome.retried ? 2 : 1
    renderCounters()
    const fingerprint = manager.status(shownScope).fingerprint ?? "—"
    ui.apiResult.dataset.outcome = outcome._tag
    switch (outcome._tag) {
      case "Answered": {
        const retried = outcome.retried ? " after a 401 (token dropped, a new one acquired)" : ""
        ui.apiResult.textContent = `${outcome.status} OK with token ${fingerprint}${retried} · echoed claims: ${JSON.stringify(outcome.body.claims)}`
        return
      }
      case "Refused":
        ui.apiResult.textContent = `${outcome.status} refused (${outcome.reason})${outcome.retried ? ", also after a new token" : ""}`
        return
      case "Failed":
        ui.apiResult.textContent = "The call failed: see the error above."
        showError(describeFailure(outcome.error))
    }
  })
})

// --- faults ------------------------------------------------------------------------------------

const faultLines = (snapshot: FaultsSnapshot, now: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  if (snapshot.outage !== null) {
    const left = Date.parse(snapshot.outage.endsAt) - now
    if (left > 0) lines.push(`Outage: every auth request gets a 503 for ${Math.ceil(left / 1000)} s more`)
  }
  if (snapshot.failNext !== null) lines.push(`The next ${snapshot.failNext.count} auth request(s) fail`)
  if (snapshot.tokenLifetimeSeconds !== null) lines.push(`New tokens live ${snapshot.tokenLifetimeSeconds} s`)
  return lines
}

let shownFaults = ""
const renderFaults = (now: number) => {
  const lines = faults === undefined ? [] : faultLines(faults, now)
  const key = lines.join("\n")
  ui.shortLived.setAttribute("aria-pressed", String(faults?.tokenLifetimeSeconds != null))
  if (key === shownFaults) return
  shownFaults = key
  ui.activeFaults.replaceChildren(
    ...(lines.length === 0 ? [make("li", "muted", "none")] : lines.map((line) => make("li", "", line)))
  )
}

const pollSandbox = async () => {
  const base = sandboxUrl()
  if (base === undefined) return
  const control = sandboxControl(base)
  const [snapshot, sandboxCounters] = await Promise.all([control.faults(), control.counters()])
  if (snapshot.ok) faults = snapshot.value
  if (sandboxCounters.ok) {
    const requests = sandboxCounters.value.requests
    ui.sandboxCalls.textContent = `${requests["/v1/authenticate-token"]} / ${requests["/v1/refresh-token"]}`
  }
  renderFaults(Date.now())
}

const control = (button: HTMLButtonElement, act: (base: string) => Promise<{ ok: boolean; message?: string }>) =>
  button.addEventListener("click", () => {
    void busy(button, async () => {
      const base = sandboxUrl()
      if (base === undefined) {
        showError({
          title: "No sandbox URL",
          code: undefined,
          vendorMessage: undefined,
          hint: "Enter the sandbox URL above.",
          message: "There is no sandbox to control."
        })
        return
      }
      const outcome = await act(base)
      if (!outcome.ok) {
        showError({
          title: "Control API",
          code: undefined,
          vendorMessage: undefined,
          hint: undefined,
          message: outcome.message ?? "failed"
        })
      }
      await pollSandbox()
    })
  })

const patch = (body: FaultPatch) => (base: string) => sandboxControl(base).setFaults(body)

control(ui.outage, (base) => patch({ outage: { seconds: Number(ui.outageSeconds.value) } })(base))
control(ui.failNext, (base) => patch({ failNext: { count: Number(ui.failCount.value) } })(base))
control(ui.shortLived, (base) =>
  patch({ tokenLifetimeSeconds: faults?.tokenLifetimeSeconds != null ? null : 20 })(base)
)
control(ui.clearFaults, (base) => sandboxControl(base).clearFaults())
control(ui.revoke, async (base) => {
  if (view?.uniqueId === undefined) return { ok: false, message: "No token to revoke: get one first." }
  const outcome = await sandboxControl(base).revoke(view.uniqueId)
  if (outcome.ok) {
    ui.apiResult.textContent = `Revoked ${view.fingerprint} at the sandbox: the next protected call is refused, the token dropped and a new one acquired.`
  }
  return outcome
})

// --- clocks ------------------------------------------------------------------------------------

renderToken()
renderCounters()
tick()
setInterval(tick, 250)
setInterval(() => {
  refreshRelativeTimes()
  renderCounters()
}, 1000)
setInterval(() => void pollSandbox(), 2000)
void pollSandbox()
