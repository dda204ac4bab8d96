import { makeRejection, type PromiseTokenManager, type TokenEvent, type TokenStatus } from "@ipos/auth-core"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { makeTokenSource, refusedGraceMs } from "../src/TokenSource.js"

const status: TokenStatus = {
  scope: "PaymentTokenization",
  credentialsId: "abc",
  state: "valid",
  degraded: false,
  inFlight: false,
  consecutiveFailures: 0,
  lastError: undefined,
  fingerprint: "…abcdef",
  expiresAt: 10_000_000,
  usableUntil: 9_000_000,
  refreshAt: 8_000_000,
  secondsToExpiry: 100,
  clockOffsetMs: 0
}

/** A stand-in for the core's manager: `getToken` answers from `next`, counting calls. */
const fakeTokens = (next: () => Promise<string>) => {
  const listeners = new Set<(e: TokenEvent) => void>()
  const calls = { getToken: 0, invalidated: [] as Array<string | undefined> }
  const tokens: PromiseTokenManager = {
    getToken: () => {
      calls.getToken += 1
      return next()
    },
    getTokenInfo: () => Promise.reject(new Error("unused")),
    refresh: () => next(),
    invalidate: (token) => {
      calls.invalidated.push(token)
    },
    status: () => status,
    onEvent: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    events: { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) },
    close: () => Promise.resolve()
  }
  return { tokens, calls }
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe("makeTokenSource", () => {
  it("with refused credentials: retries with backoff (1 s, 2 s, 4 s) and logs the state once", async () => {
    const { tokens, calls } = fakeTokens(() => Promise.reject(makeRejection("AUTH_ERR_004", "Invalid credentials.")))
    const log: Array<string> = []
    const source = makeTokenSource({ tokens, scope: "PaymentTokenization", log: (l) => log.push(l) })
    await vi.advanceTimersByTimeAsync(0)
    expect(calls.getToken).toBe(1)
    expect(source.state()).toBe("unavailable")
    expect(source.lastError()).toMatchObject({ kind: "rejected", code: "AUTH_ERR_004" })
    expect(source.retryAt()).toBe(1_000_000 + 1000)
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls.getToken).toBe(2)
    await vi.advanceTimersByTimeAsync(1999)
    expect(calls.getToken).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls.getToken).toBe(3)
    await vi.advanceTimersByTimeAsync(4000)
    expect(calls.getToken).toBe(4)
    expect(log).toEqual([
      "token unavailable (rejected, InvalidCredentials): AUTH_ERR_004: Invalid credentials.; requests fail closed, retrying with backoff"
    ])
    expect(source.current()).toBeUndefined()
    await source.close()
  })

  it("recovers by itself and says so once", async () => {
    let fail = true
    const { tokens } = fakeTokens(() =>
      fail ? Promise.reject(makeRejection("AUTH_ERR_004", "Invalid credentials.")) : Promise.resolve("jwt-1")
    )
    const log: Array<string> = []
    const source = makeTokenSource({ tokens, scope: "PaymentTokenization", log: (l) => log.push(l) })
    await vi.advanceTimersByTimeAsync(0)
    fail = false
    await vi.advanceTimersByTimeAsync(1000)
    expect(source.current()).toBe("jwt-1")
    expect(source.state()).toBe("ready")
    expect(log).toHaveLength(2)
    expect(log[1]).toBe("token ready: PaymentTokenization …abcdef expires 1970-01-01T02:46:40.000Z")
    await source.close()
  })

  it("stops serving a token past its usable time", async () => {
    const { tokens } = fakeTokens(() => Promise.resolve("jwt-1"))
    const source = makeTokenSource({ tokens, scope: "PaymentTokenization", log: () => {} })
    await vi.advanceTimersByTimeAsync(0)
    expect(source.current()).toBe("jwt-1")
    vi.setSystemTime(9_000_000)
    expect(source.current()).toBeUndefined()
    await source.close()
  })

  it("invalidates exactly the refused token, and concurrent refusals share one acquisition", async () => {
    let value = "jwt-1"
    const { tokens, calls } = fakeTokens(() => Promise.resolve(value))
    const source = makeTokenSource({ tokens, scope: "PaymentTokenization", log: () => {} })
    await vi.advanceTimersByTimeAsync(0)
    expect(calls.getToken).toBe(1)
    value = "jwt-2"
    const renewed = await Promise.all([source.refused("jwt-1"), source.refused("jwt-1"), source.refused("jwt-1")])
    expect(renewed).toEqual(["jwt-2", "jwt-2", "jwt-2"])
    expect(calls.getToken).toBe(2)
    expect(calls.invalidated).toEqual(["jwt-1", "jwt-1", "jwt-1"])
    // A late refusal of the old token keeps the new one.
    expect(await source.refused("jwt-1")).toBe("jwt-2")
    expect(calls.getToken).toBe(2)
    await source.close()
  })

  it("does not invalidate a token acquired after a 401 again within the grace period", async () => {
    let n = 1
    const { tokens, calls } = fakeTokens(() => Promise.resolve(`jwt-${n}`))
    const source = makeTokenSource({ tokens, scope: "PaymentTokenization", log: () => {} })
    await vi.advanceTimersByTimeAsync(0)
    n = 2
    expect(await source.refused("jwt-1")).toBe("jwt-2")
    // A route that refuses every token: the renewed one is refused at once, nothing is acquired.
    for (let i = 0; i < 5; i++) expect(source.refused("jwt-2")).toBeUndefined()
    expect(calls.getToken).toBe(2)
    expect(calls.invalidated).toEqual(["jwt-1"])
    expect(source.current()).toBe("jwt-2")
    vi.setSystemTime(Date.now() + refusedGraceMs)
    n = 3
    expect(await source.refused("jwt-2")).toBe("jwt-3")
    expect(calls.invalidated).toEqual(["jwt-1", "jwt-2"])
    expect(calls.getToken).toBe(3)
    await source.close()
  })
})
