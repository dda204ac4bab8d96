import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { createTokenManager } from "../src/createTokenManager.js"
import { tokenUniform } from "../src/internal/manager.js"
import type { TokenEvent } from "../src/TokenEvents.js"
import { memoryTokenStore, type SharedToken, type StoreOutcome, type TokenStoreShape } from "../src/TokenStore.js"
import { FakeAuthServer } from "./support/FakeAuthServer.js"

const keys = { apiKey: "store-fake-api-key", secretKey: "store-fake-secret" } as const
const baseUrl = "http://auth.test.invalid"

/** A shared store in memory: what several processes sharing one Redis would see (no lock needed here). */
const fakeShared = () => {
  const tokens = new Map<string, SharedToken>()
  const invalidated: Array<{ key: string; token: string }> = []
  let trouble: string | undefined
  const store: TokenStoreShape = {
    shared: true,
    acquire: (key, adopt, run) =>
      Effect.suspend((): Effect.Effect<StoreOutcome, Effect.Error<typeof run>> => {
        if (trouble !== undefined) return Effect.map(run, (token) => ({ token, from: "self", degraded: trouble }))
        const held = tokens.get(key)
        if (held !== undefined && adopt(held)) {
          return Effect.succeed({ token: held, from: "store" as const, degraded: undefined })
        }
        return Effect.map(run, (token) => {
          tokens.set(key, token)
          return { token, from: "self" as const, degraded: undefined }
        })
      }),
    invalidate: (key, token) =>
      Effect.sync(() => {
        invalidated.push({ key, token })
        if (tokens.get(key)?.token === token) tokens.delete(key)
        return trouble
      })
  }
  return {
    store,
    tokens,
    invalidated,
    setTrouble: (reason: string | undefined) => {
      trouble = reason
    }
  }
}

describe("TokenStore", () => {
  it("a second manager on the same shared store takes the first one's token: one authentication", async () => {
    const server = new FakeAuthServer()
    const shared = fakeShared()
    const a = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, store: shared.store })
    const b = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, store: shared.store })
    const token = await a.getToken()
    expect(await b.getToken()).toBe(token)
    expect(server.count()).toBe(1)
    // The key names server, credential set and scope by hashes, never the key itself.
    const [key] = [...shared.tokens.keys()]
    expect(key).toMatch(new RegExp(`^[0-9a-f]+:${a.status().credentialsId}:PaymentTokenization$`))
    expect(key).not.toContain(keys.apiKey)
    // Both draw the same refresh point from the token: they refresh it once, together.
    expect((await b.getTokenInfo()).refreshAt).toBe((await a.getTokenInfo()).refreshAt)
    await a.close()
    await b.close()
  })

  it("invalidate(token) is passed to the store, and the next acquisition does not take the refused token back", async () => {
    const server = new FakeAuthServer()
    const shared = fakeShared()
    const a = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, store: shared.store })
    const first = await a.getToken()
    a.invalidate(first)
    const second = await a.getToken()
    expect(second).not.toBe(first)
    expect(shared.invalidated.map((i) => i.token)).toEqual([first])
    expect(server.count()).toBe(2)
    await a.close()
  })

  it("store trouble: tokens still served, StoreDegraded once per episode and counted, StoreRecovered when it works again", async () => {
    const server = new FakeAuthServer()
    const shared = fakeShared()
    const a = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, store: shared.store })
    const events: Array<TokenEvent> = []
    a.onEvent((e) => events.push(e))
    shared.setTrouble("Redis: not connected")
    const first = await a.getToken()
    a.invalidate(first)
    const second = await a.getToken()
    expect(second).not.toBe(first)
    const tags = () => events.map((e) => e._tag).filter((t) => t.startsWith("Store"))
    expect(tags()).toEqual(["StoreDegraded"])
    expect(events.find((e) => e._tag === "StoreDegraded")).toMatchObject({ reason: "Redis: not connected" })
    shared.setTrouble(undefined)
    a.invalidate(second)
    await a.getToken()
    expect(tags()).toEqual(["StoreDegraded", "StoreRecovered"])
    await a.close()
  })

  it("a shared token that is not a compact JWT (CR/LF planted in the store) is never served: the manager authenticates itself", async () => {
    const server = new FakeAuthServer()
    const shared = fakeShared()
    const a = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, store: shared.store })
    const good = await a.getToken()
    const [key] = [...shared.tokens.keys()]
    const planted = `${good}\r\nx-injected: 1`
    shared.tokens.set(key!, { ...shared.tokens.get(key!)!, token: planted })
    const b = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, store: shared.store })
    const token = await b.getToken()
    expect(token).not.toBe(planted)
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(server.count()).toBe(2)
    // The planted value was replaced in the store by the token acquired instead.
    expect(shared.tokens.get(key!)?.token).toBe(token)
    await a.close()
    await b.close()
  })

  it("the memory store (the default) shares nothing: two managers authenticate twice", async () => {
    const server = new FakeAuthServer()
    const a = createTokenManager({ ...keys, baseUrl, fetch: server.fetch, store: memoryTokenStore })
    const b = createTokenManager({ ...keys, baseUrl, fetch: server.fetch })
    expect(await a.getToken()).not.toBe(await b.getToken())
    expect(server.count()).toBe(2)
    await a.close()
    await b.close()
  })

  it("tokenUniform is a number in [0, 1), the same for the same token", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const u = tokenUniform(s)
        return u >= 0 && u < 1 && u === tokenUniform(s)
      })
    )
  })
})
