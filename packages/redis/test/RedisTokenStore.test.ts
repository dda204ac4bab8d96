/**
 * The store on a real Redis, in one process: what it writes, the compare-and-set scripts, and the
 * fallback when Redis cannot be used.
 */
import {
  AuthApi,
  createTokenManager,
  makeTokenManager,
  memoryTokenStore,
  type SharedToken,
  type TokenEvent
} from "@ipos/auth-core"
import { freePort } from "@ipos/testing"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { describe, expect, it } from "vitest"
import { RedisTokenStore, redisTokenStore } from "../src/index.js"
import { useFixture } from "./support/fixture.js"
import { rawClient, startOwnRedis } from "./support/redis.js"

const fx = useFixture()

const token = (name: string, expiresIn: number): SharedToken => ({
  token: `header.${name}.signature-${name}`,
  fingerprint: `…${name}`,
  via: "authenticate",
  createdDt: String(Date.now()),
  issuedAt: undefined,
  expiresAt: Date.now() + expiresIn,
  localIssuedAt: undefined,
  localExpiresAt: Date.now() + expiresIn,
  clockOffsetMs: 0
})

/** A started store in a scope of its own, connected. */
const started = async (keyPrefix: string, url = fx.redisUrl) => {
  const scope = Effect.runSync(Scope.make())
  const store = redisTokenStore({ url, keyPrefix, operationTimeoutMs: 500 })
  if (store.start !== undefined) await Effect.runPromise(Scope.provide(store.start, scope))
  const close = () => Effect.runPromise(Scope.close(scope, Exit.void))
  return { store, close }
}

const waitConnected = async (store: ReturnType<typeof redisTokenStore>, probe = "probe") => {
  for (let i = 0; i < 100; i++) {
    const degraded = await Effect.runPromise(store.invalidate(probe, "nothing"))
    if (degraded === undefined) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error("the store did not connect")
}

describe("redisTokenStore", () => {
  it("the first acquisition runs and shares; the next one adopts without running", async () => {
    const { store, close } = await started(fx.prefix())
    try {
      await waitConnected(store)
      const a = token("a", 60_000)
      const first = await Effect.runPromise(store.acquire("k", () => true, Effect.succeed(a)))
      expect(first).toEqual({ token: a, from: "self", degraded: undefined })
      const second = await Effect.runPromise(store.acquire("k", () => true, Effect.die("must not run")))
      expect(second).toEqual({ token: a, from: "store", degraded: undefined })
    } finally {
      await close()
    }
  })

  it("a token refused by `adopt` is replaced, and the replacement is what the store then holds", async () => {
    const { store, close } = await started(fx.prefix())
    try {
      await waitConnected(store)
      const a = token("a", 60_000)
      const b = token("b", 60_000)
      await Effect.runPromise(store.acquire("k", () => true, Effect.succeed(a)))
      const refused = await Effect.runPromise(store.acquire("k", (t) => t.token !== a.token, Effect.succeed(b)))
      expect(refused.from).toBe("self")
      const after = await Effect.runPromise(store.acquire("k", () => true, Effect.die("must not run")))
      expect(after.token).toEqual(b)
    } finally {
      await close()
    }
  })

  it("invalidate removes the shared token only while it is still that token", async () => {
    const p = fx.prefix()
    const { store, close } = await started(p)
    const redis = await rawClient(fx.redisUrl)
    try {
      await waitConnected(store)
      const a = token("a", 60_000)
      const b = token("b", 60_000)
      await Effect.runPromise(store.acquire("k", () => true, Effect.succeed(a)))
      await Effect.runPromise(store.acquire("k", (t) => t.token !== a.token, Effect.succeed(b)))
      // A late refusal of the older token leaves the newer one alone.
      expect(await Effect.runPromise(store.invalidate("k", a.token))).toBeUndefined()
      expect(await redis.exists(`${p}:{k}:token`)).toBe(1)
      expect(await Effect.runPromise(store.invalidate("k", b.token))).toBeUndefined()
      expect(await redis.exists(`${p}:{k}:token`)).toBe(0)
    } finally {
      redis.destroy()
      await close()
    }
  })

  it("a former holder whose lease expired cannot overwrite a newer token", async () => {
    const p = fx.prefix()
    const { store, close } = await started(p)
    const redis = await rawClient(fx.redisUrl)
    try {
      await waitConnected(store)
      const newer = token("newer", 120_000)
      const older = token("older", 60_000)
      // The slow holder takes the lock; while it works, its lease expires and another process
      // (simulated here) takes the lock and writes a newer token.
      const slow = Effect.promise(async () => {
        await redis.del(`${p}:{k}:lock`)
        await redis.hSet(`${p}:{k}:token`, {
          v: JSON.stringify({ ...newer, issuedAt: null, localIssuedAt: null }),
          id: "x",
          exp: String(newer.localExpiresAt)
        })
        await redis.set(`${p}:{k}:lock`, "another-owner", { PX: 10_000 })
        return older
      })
      const outcome = await Effect.runPromise(store.acquire("k", () => false, slow))
      // Its callers get its token; the store keeps the newer one.
      expect(outcome.token).toEqual(older)
      expect(JSON.parse((await redis.hGet(`${p}:{k}:token`, "v")) ?? "{}").token).toBe(newer.token)
      // And it did not release the other owner's lock.
      expect(await redis.get(`${p}:{k}:lock`)).toBe("another-owner")
    } finally {
      redis.destroy()
      await close()
    }
  })

  it("keys name the credential set by its hash, never the API key", async () => {
    const p = fx.prefix()
    const redis = await rawClient(fx.redisUrl)
    const tokens = createTokenManager({
      apiKey: "demo-merchant-api-key",
      secretKey: "demo-merchant-secret-key",
      baseUrl: fx.sandbox.url,
      store: redisTokenStore({ url: fx.redisUrl, keyPrefix: p })
    })
    try {
      await new Promise((r) => setTimeout(r, 300))
      await tokens.getToken()
      const keys = await redis.keys(`${p}:*`)
      expect(keys).toHaveLength(1)
      expect(keys[0]).toMatch(
        new RegExp(`^${p}:\\{[0-9a-f]+:${tokens.status().credentialsId}:PaymentTokenization\\}:token$`)
      )
      expect(keys.join(" ")).not.toContain("demo-merchant")
    } finally {
      redis.destroy()
      await tokens.close()
    }
  })

  it("Redis unreachable: callers still get tokens, with one StoreDegraded event", async () => {
    const port = await freePort()
    const events: Array<TokenEvent> = []
    const tokens = createTokenManager({
      apiKey: "demo-merchant-api-key",
      secretKey: "demo-merchant-secret-key",
      baseUrl: fx.sandbox.url,
      store: redisTokenStore({ url: `redis://127.0.0.1:${port}`, keyPrefix: fx.prefix() })
    })
    tokens.onEvent((e) => events.push(e))
    try {
      const first = await tokens.getToken()
      tokens.invalidate(first)
      const second = await tokens.getToken()
      expect(second).not.toBe(first)
      const degraded = events.filter((e) => e._tag === "StoreDegraded")
      expect(degraded).toHaveLength(1)
      expect(degraded[0]).toMatchObject({ reason: "Redis: not connected" })
    } finally {
      await tokens.close()
    }
  })

  it("Effect API: RedisTokenStore.layer is the TokenStore of makeTokenManager", async () => {
    const p = fx.prefix()
    const program = Effect.gen(function* () {
      const manager = yield* makeTokenManager()
      // The layer connects in the background.
      yield* Effect.sleep(300)
      return Redacted.value(yield* manager.getToken())
    }).pipe(
      Effect.scoped,
      Effect.provide(RedisTokenStore.layer({ url: fx.redisUrl, keyPrefix: p })),
      Effect.provide(
        AuthApi.layer({
          credentials: { apiKey: "demo-merchant-api-key", secretKey: "demo-merchant-secret-key" },
          baseUrl: fx.sandbox.url
        })
      )
    )
    const token = await Effect.runPromise(program)
    const redis = await rawClient(fx.redisUrl)
    try {
      const [key] = await redis.keys(`${p}:*:token`)
      const stored = JSON.parse((await redis.hGet(key ?? "", "v")) ?? "{}") as { token?: string }
      expect(stored.token).toBe(token)
    } finally {
      redis.destroy()
    }
  })

  it("an ACL user in the URL: the store works as that user, within its key pattern", async () => {
    const own = await startOwnRedis()
    const admin = await rawClient(own.url)
    try {
      const p = `acl-test:${fx.prefix()}`
      await admin.sendCommand([
        "ACL",
        "SETUSER",
        "ipos-store",
        "on",
        ">store-test-password",
        `~${p}:*`,
        `&${p}:*`,
        "+@all"
      ])
      await admin.sendCommand(["ACL", "SETUSER", "default", "off"])
      const url = own.url.replace("redis://", "redis://ipos-store:store-test-password@")
      const { store, close } = await started(p, url)
      try {
        await waitConnected(store, "k")
        const a = token("a", 60_000)
        expect(await Effect.runPromise(store.acquire("k", () => true, Effect.succeed(a)))).toEqual({
          token: a,
          from: "self",
          degraded: undefined
        })
        expect(await admin.exists(`${p}:{k}:token`)).toBe(1)
      } finally {
        await close()
      }
    } finally {
      admin.destroy()
      await own.stop()
    }
  })

  it("the memory store shares nothing and runs every acquisition", async () => {
    const a = token("a", 60_000)
    const outcome = await Effect.runPromise(memoryTokenStore.acquire("k", () => true, Effect.succeed(a)))
    expect(outcome).toEqual({ token: a, from: "self", degraded: undefined })
  })
})
