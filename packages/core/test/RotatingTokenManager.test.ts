import { describe, expect, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import { InvalidCredentials } from "../src/AuthError.js"
import type { PromiseTokenManager } from "../src/createTokenManager.js"
import { type CredentialSet, createRotatingTokenManager, type RotationEvent } from "../src/RotatingTokenManager.js"

/** A stand-in manager: mints `token-<apiKey>-<n>`, or refuses when the apiKey starts with "bad". */
const fakes: Array<{ apiKey: string; closed: boolean }> = []
const fakeManager = (set: CredentialSet): PromiseTokenManager => {
  const apiKey = typeof set.apiKey === "string" ? set.apiKey : Redacted.value(set.apiKey)
  const self = { apiKey, closed: false }
  fakes.push(self)
  let n = 0
  const get = () =>
    apiKey.startsWith("bad")
      ? Promise.reject(new InvalidCredentials({ serverMessage: "invalid credentials" }))
      : Promise.resolve(`token-${apiKey}-${++n}`)
  return {
    getToken: get,
    getTokenInfo: () => Promise.reject(new Error("unused")),
    refresh: get,
    invalidate: () => {},
    status: () => ({ scope: "PaymentTokenization" }) as ReturnType<PromiseTokenManager["status"]>,
    onEvent: () => () => {},
    events: { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }) },
    close: async () => {
      self.closed = true
    }
  }
}

describe("RotatingTokenManager", () => {
  it("swaps to the new set only once it holds a token, then closes the old manager", async () => {
    let set: CredentialSet = { apiKey: "one", secretKey: "s1" }
    const events: Array<RotationEvent["_tag"]> = []
    const tokens = createRotatingTokenManager({ initial: set, credentials: () => set, make: fakeManager })
    tokens.onRotation((e) => events.push(e._tag))
    expect(await tokens.getToken()).toBe("token-one-1")
    const firstId = tokens.credentialsId()
    expect(await tokens.rotate()).toBe("unchanged")
    set = { apiKey: "two", secretKey: "s2" }
    expect(await tokens.rotate()).toBe("rotated")
    expect(tokens.credentialsId()).not.toBe(firstId)
    expect(await tokens.getToken()).toBe("token-two-2")
    expect(events).toEqual(["CredentialsRotated"])
    expect(fakes.find((f) => f.apiKey === "one")?.closed).toBe(true)
    await tokens.close()
  })

  it("keeps the current set when the new one is refused, reports it and retries with backoff", async () => {
    let set: CredentialSet = { apiKey: "good", secretKey: "s" }
    const events: Array<RotationEvent> = []
    const tokens = createRotatingTokenManager({ initial: set, credentials: () => set, make: fakeManager })
    tokens.onRotation((e) => events.push(e))
    const firstId = tokens.credentialsId()
    set = { apiKey: "bad-key", secretKey: "s" }
    expect(await tokens.rotate()).toBe("refused")
    expect(tokens.credentialsId()).toBe(firstId)
    expect(await tokens.getToken()).toBe("token-good-1")
    const refused = events[0]
    expect(refused?._tag).toBe("RotationRefused")
    if (refused?._tag === "RotationRefused") {
      expect(refused.error.code).toBe("AUTH_ERR_004")
      expect(refused.consecutiveFailures).toBe(1)
      expect(refused.retryAt - refused.at).toBe(1000)
      expect(tokens.pendingCredentialsId()).toBe(refused.credentialsId)
      expect(JSON.stringify(refused)).not.toContain("bad-key")
    }
    // The operator fixes the secret: the retry (after ~1 s) picks it up by itself.
    set = { apiKey: "fixed", secretKey: "s" }
    await new Promise((r) => setTimeout(r, 1500))
    expect(events.map((e) => e._tag)).toEqual(["RotationRefused", "CredentialsRotated"])
    expect(await tokens.getToken()).toMatch(/^token-fixed-/)
    expect(tokens.pendingCredentialsId()).toBeUndefined()
    await tokens.close()
  })

  it("stops retrying when the provider returns the set in use again", async () => {
    let set: CredentialSet = { apiKey: "stay", secretKey: "s" }
    const tokens = createRotatingTokenManager({ initial: set, credentials: () => set, make: fakeManager })
    set = { apiKey: "bad-again", secretKey: "s" }
    expect(await tokens.rotate()).toBe("refused")
    set = { apiKey: "stay", secretKey: "s" }
    expect(await tokens.rotate()).toBe("unchanged")
    expect(tokens.pendingCredentialsId()).toBeUndefined()
    await tokens.close()
    expect(await tokens.rotate()).toBe("closed")
  })
})
