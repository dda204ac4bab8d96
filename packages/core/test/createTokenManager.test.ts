import { spawn } from "node:child_process"
import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { InvalidCredentials } from "../src/AuthError.js"
import { createTokenManager } from "../src/createTokenManager.js"
import { exitCodeOf, failureKind } from "../src/Failure.js"
import { ManagerClosed } from "../src/ManagerClosed.js"
import type { TokenEvent } from "../src/TokenEvents.js"
import { ValidationError } from "../src/ValidationError.js"
import { FakeAuthServer, gate } from "./support/FakeAuthServer.js"
import { redirectServers } from "./support/redirectServers.js"

const keys = { apiKey: "facade-fake-api-key", secretKey: "facade-fake-secret" } as const
const baseUrl = "http://auth.test.invalid"

const unhandled: Array<unknown> = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeEach(() => {
  unhandled.length = 0
  process.on("unhandledRejection", onUnhandled)
})
afterEach(() => {
  process.off("unhandledRejection", onUnhandled)
})

/** Waits until `predicate` holds, checking after each turn of the event loop (no timers). */
const until = async (predicate: () => boolean, turns = 500) => {
  for (let i = 0; i < turns && !predicate(); i++) await new Promise((resolve) => setImmediate(resolve))
  expect(predicate()).toBe(true)
}

describe("createTokenManager (Promise facade)", () => {
  it("resolves to the token as a plain string, cached, one request for many callers", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    const all = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()))
    expect(new Set(all).size).toBe(1)
    expect(typeof all[0]).toBe("string")
    expect(all[0]?.split(".")).toHaveLength(3)
    expect(await tokens.getToken()).toBe(all[0])
    expect(server.count()).toBe(1)
    const info = await tokens.getTokenInfo()
    expect(info).toMatchObject({
      token: all[0],
      scope: "PaymentTokenization",
      via: "authenticate",
      lifetimeMs: 3_600_000
    })
    expect(info.expiresAt).toBeGreaterThan(Date.now())
    await tokens.close()
  })

  it("does not follow a redirect over the default fetch: MalformedResponse, nothing sent to the other origin", async () => {
    const servers = await redirectServers(307)
    const tokens = createTokenManager({ ...keys, baseUrl: servers.first })
    try {
      const error = await tokens.getToken().catch((e: unknown) => e)
      expect(error).toMatchObject({
        _tag: "MalformedResponse",
        status: 307,
        reason: "a redirect (HTTP 307), not followed",
        kind: "malformed"
      })
      expect(servers.firstSeen).toHaveLength(1)
      expect(servers.secondSeen).toEqual([])
    } finally {
      await tokens.close()
      await servers.close()
    }
  })

  it("holds several scopes", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, scope: "Recurring" })
    await tokens.getToken()
    await tokens.getToken("BatchReport")
    await tokens.getToken("Recurring")
    expect(server.requests.map((r) => r.headers.scope)).toEqual(["Recurring", "BatchReport"])
    await expect(tokens.getToken("Nope" as "Recurring")).rejects.toBeInstanceOf(ValidationError)
    await tokens.close()
  })

  it("rejects with the typed error itself", async () => {
    const server = new FakeAuthServer().enqueue("authenticate", {
      kind: "authError",
      code: "AUTH_ERR_004",
      message: "Invalid Credentials, Please Contact Support Team."
    })
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    const error = await tokens.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidCredentials)
    expect(error).toMatchObject({ code: "AUTH_ERR_004", kind: "rejected", retryable: false })
    expect(tokens.status().lastError).toMatchObject({ code: "AUTH_ERR_004" })
    // Not cached: the next call really asks again.
    expect(typeof (await tokens.getToken())).toBe("string")
    expect(server.count()).toBe(2)
    await tokens.close()
  })

  it("never throws for bad options: every call rejects with the ValidationError", async () => {
    const tokens = createTokenManager({ apiKey: "only-half" })
    await expect(tokens.getToken()).rejects.toMatchObject({ _tag: "ValidationError", field: "secretKey" })
    await expect(tokens.refresh()).rejects.toBeInstanceOf(ValidationError)
    expect(tokens.status()).toMatchObject({ state: "empty", lastError: { _tag: "ValidationError" } })
    tokens.invalidate()
    await tokens.close()
    const none = createTokenManager()
    await expect(none.getToken()).rejects.toMatchObject({ field: "apiKey" })
  })

  it("reports the scope asked for in the status of an unknown scope, and never throws", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    await tokens.getToken()
    const status = tokens.status("Bogus" as "Recurring")
    expect(status).toMatchObject({
      scope: "Bogus",
      state: "empty",
      fingerprint: undefined,
      lastError: { _tag: "ValidationError", kind: "validation" }
    })
    expect(status.lastError?.message).toBe(
      "Invalid scope: must be one of PaymentTokenization, Recurring, BatchReport, ExternalApi (value not shown)"
    )
    // Looking at a scope creates nothing, and the default scope is untouched.
    expect(tokens.status("Recurring")).toMatchObject({ scope: "Recurring", state: "empty" })
    expect(tokens.status()).toMatchObject({ scope: "PaymentTokenization", state: "valid" })
    expect(server.count()).toBe(1)
    await tokens.close()
  })

  it.each<[string, Parameters<typeof createTokenManager>[0], string]>([
    [
      "a retry policy that would retry forever",
      { retry: { maxAttempts: Number.POSITIVE_INFINITY, maxElapsedMs: Number.POSITIVE_INFINITY } },
      "Invalid options: retry.maxAttempts must be a whole number from 1 to 100 (got Infinity)"
    ],
    [
      "a negative margin ratio (a token handed out past its exp)",
      { refreshPolicy: { marginRatio: -1, minMarginMs: 0 } },
      "Invalid options: refreshPolicy.marginRatio must be a number from 0 and less than 1 (got -1)"
    ],
    [
      "a NaN jitter",
      { refreshPolicy: { jitter: Number.NaN } },
      "Invalid options: refreshPolicy.jitter must be a number from 0 to 1 (got NaN)"
    ],
    [
      "keepFresh that is not a boolean",
      { keepFresh: "yes" as unknown as boolean },
      "Invalid options: keepFresh must be true or false (got a string)"
    ]
  ])("refuses %s: every call rejects with a ValidationError, nothing is sent", async (_, options, message) => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, ...options })
    const error = await tokens.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field: "options", kind: "validation", message })
    expect(tokens.status().lastError?.message).toBe(message)
    expect(server.count()).toBe(0)
    await tokens.close()
  })

  it("evicts a scope on request: token and timer dropped, the next use acquires a new one", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, keepFresh: true })
    const events: Array<TokenEvent> = []
    tokens.onEvent((event) => events.push(event))
    const first = await tokens.getToken("Recurring")
    expect(tokens.evict("Recurring")).toBe(true)
    expect(tokens.evict("Recurring")).toBe(false)
    expect(tokens.evict("Bogus" as "Recurring")).toBe(false)
    expect(tokens.status("Recurring")).toMatchObject({ state: "empty", fingerprint: undefined })
    expect(events.at(-1)).toMatchObject({ _tag: "Evicted", scope: "Recurring", reason: "explicit" })
    const second = await tokens.getToken("Recurring")
    expect(second).not.toBe(first)
    expect(server.count()).toBe(2)
    await tokens.close()
    expect(tokens.evict()).toBe(false)
  })

  it("reads the IPOS_* variables from fromEnv, explicit options winning", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({
      fromEnv: {
        IPOS_API_KEY: "env-fake-api-key",
        IPOS_SECRET_KEY: "env-fake-secret",
        IPOS_SCOPE: "ExternalApi",
        IPOS_TOKEN_EXPIRY_MINUTES: "120",
        IPOS_AUTH_URL: "http://from-env.test.invalid"
      },
      scope: "Recurring",
      fetch: server.fetch
    })
    await tokens.getToken()
    expect(server.requests[0]?.headers).toMatchObject({
      apikey: "env-fake-api-key",
      secretkey: "env-fake-secret",
      scope: "Recurring",
      jwttokenexpiryminutes: "120"
    })
    await tokens.close()
    const bad = createTokenManager({ fromEnv: { IPOS_API_KEY: "a", IPOS_SECRET_KEY: "b", IPOS_ENV: "staging" } })
    await expect(bad.getToken()).rejects.toMatchObject({ field: "IPOS_ENV" })
    const missing = createTokenManager({ fromEnv: {} })
    await expect(missing.getToken()).rejects.toMatchObject({ field: "IPOS_API_KEY" })
  })

  it("invalidates after a downstream 401: one new token, stale invalidations ignored", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    const refused = await tokens.getToken()
    const next = await Promise.all(
      Array.from({ length: 20 }, () => {
        tokens.invalidate(refused)
        return tokens.getToken()
      })
    )
    expect(new Set(next).size).toBe(1)
    expect(next[0]).not.toBe(refused)
    tokens.invalidate(refused)
    expect(await tokens.getToken()).toBe(next[0])
    expect(server.count()).toBe(2)
    await tokens.close()
  })

  it("two concurrent 401s for the token being refreshed: one new authentication, not its refreshed descendant", async () => {
    const server = new FakeAuthServer()
    // A window as long as the token: the second call starts a background refresh.
    const tokens = createTokenManager({
      ...keys,
      baseUrl,
      fetch: server.fetch,
      refreshPolicy: { windowRatio: 1, maxWindowMs: Number.POSITIVE_INFINITY, jitter: 0 }
    })
    const refused = await tokens.getToken()
    const slow = gate()
    server.enqueue("refresh", { kind: "wait", until: slow.until, next: { kind: "token" } })
    expect(await tokens.getToken()).toBe(refused)
    await until(() => server.count("refresh") === 1)
    const after = Promise.all(
      [1, 2].map(() => {
        tokens.invalidate(refused)
        return tokens.getToken()
      })
    )
    slow.open()
    const [a, b] = await after
    expect(a).toBe(b)
    expect(a).not.toBe(refused)
    expect(server.count("authenticate")).toBe(2)
    expect(server.count("refresh")).toBe(1)
    expect(server.issued.at(-1)?.token).toBe(a)
    // A late 401 for the refused token is a no-op; without a token, whatever is current goes.
    tokens.invalidate(refused)
    expect(await tokens.getToken()).toBe(a)
    tokens.invalidate()
    expect(await tokens.getToken()).not.toBe(a)
    expect(server.count("authenticate")).toBe(3)
    await tokens.close()
  })

  it("refresh() goes through /v1/refresh-token", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    const first = await tokens.getToken()
    const second = await tokens.refresh()
    expect(second).not.toBe(first)
    expect(server.count("refresh")).toBe(1)
    expect(server.requests.at(-1)?.headers.token).toBe(first)
    await tokens.close()
  })

  it("delivers events to listeners and to async iterators; listener errors are ignored", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    const seen: Array<string> = []
    tokens.onEvent(() => {
      throw new Error("a buggy listener")
    })
    const off = tokens.onEvent((event) => seen.push(event._tag))
    const iterated: Array<TokenEvent> = []
    const consumer = (async () => {
      for await (const event of tokens.events) {
        iterated.push(event)
        if (iterated.length === 2) break
      }
    })()
    await new Promise((resolve) => setImmediate(resolve))
    const token = await tokens.getToken()
    tokens.invalidate(token)
    await consumer
    off()
    await tokens.getToken()
    expect(seen).toEqual(["Minted", "Invalidated"])
    expect(iterated.map((e) => e._tag)).toEqual(["Minted", "Invalidated"])
    await tokens.close()
  })

  it("keeps serving the token when a background refresh fails, without an unhandled rejection", async () => {
    const server = new FakeAuthServer()
      .otherwise("refresh", { kind: "raw", status: 503, body: "<html>down</html>" })
      .otherwise("authenticate", { kind: "token" })
    // A window as long as the token: every call after the first is inside it.
    const tokens = createTokenManager({
      ...keys,
      baseUrl,
      fetch: server.fetch,
      retry: { maxAttempts: 1 },
      refreshPolicy: { windowRatio: 1, maxWindowMs: Number.POSITIVE_INFINITY, jitter: 0 }
    })
    const events: Array<string> = []
    tokens.onEvent((event) => events.push(event._tag))
    const first = await tokens.getToken()
    expect(await tokens.getToken()).toBe(first)
    await until(() => events.includes("Degraded"))
    expect(await tokens.getToken()).toBe(first)
    expect(tokens.status()).toMatchObject({ state: "degraded", degraded: true, consecutiveFailures: 1 })
    expect(events).toEqual(["Minted", "RefreshFailed", "Degraded"])
    expect(unhandled).toEqual([])
    await tokens.close()
  })

  it("stops on close(): pending and later calls reject with ManagerClosed (exit code 4), close is idempotent", async () => {
    const server = new FakeAuthServer().enqueue("authenticate", { kind: "hang" })
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    const pending = tokens.getToken().catch((e: unknown) => e)
    await new Promise((resolve) => setImmediate(resolve))
    await tokens.close()
    const interrupted = await pending
    expect(interrupted).toBeInstanceOf(ManagerClosed)
    const later = await tokens.getToken().catch((e: unknown) => e)
    expect(later).toBeInstanceOf(ManagerClosed)
    expect(later).toMatchObject({ _tag: "ManagerClosed", kind: "unavailable", retryable: false })
    if (!(later instanceof ManagerClosed)) throw new Error("not ManagerClosed")
    expect(failureKind(later)).toBe("unavailable")
    expect(exitCodeOf(later)).toBe(4)
    await expect(tokens.getTokenInfo()).rejects.toBeInstanceOf(ManagerClosed)
    await expect(tokens.refresh()).rejects.toBeInstanceOf(ManagerClosed)
    await expect(tokens.getToken("Recurring")).rejects.toBeInstanceOf(ManagerClosed)
    await tokens.close()
    expect(unhandled).toEqual([])
  })

  it("a closed manager holding a valid token no longer hands it out", async () => {
    const server = new FakeAuthServer()
    const tokens = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    await tokens.getToken()
    await tokens.close()
    await expect(tokens.getToken()).rejects.toBeInstanceOf(ManagerClosed)
    expect(server.count()).toBe(1)
  })
})

describe("createTokenManager in a process", () => {
  // Run as a script: the process must end by itself when the manager holds no token, keepFresh or not.
  const entry = new URL("../src/createTokenManager.ts", import.meta.url).href
  const runScript = (body: string) =>
    new Promise<number | null>((resolve, reject) => {
      const script = `import { createTokenManager } from ${JSON.stringify(entry)}\n${body}`
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        stdio: "ignore"
      })
      const timer = setTimeout(() => {
        child.kill("SIGKILL")
        reject(new Error("the process was still alive after 20 s"))
      }, 20_000)
      child.once("exit", (code) => {
        clearTimeout(timer)
        resolve(code)
      })
    })

  it("ends by itself when an idle keepFresh manager was never asked for a token", async () => {
    const body = `createTokenManager({ apiKey: "idle-fake-api-key", secretKey: "idle-fake-secret", keepFresh: true })`
    expect(await runScript(body)).toBe(0)
  })

  it("ends by itself after a keepFresh manager's acquisition failed", async () => {
    const body = [
      `const tokens = createTokenManager({ apiKey: "idle-fake-api-key", secretKey: "idle-fake-secret", keepFresh: true,`,
      `  baseUrl: "http://127.0.0.1:9", retry: { maxAttempts: 1 } })`,
      `await tokens.getToken().then(() => process.exit(3), () => undefined)`
    ].join("\n")
    expect(await runScript(body)).toBe(0)
  })
})
