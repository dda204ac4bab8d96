import { describe, expect, it } from "vitest"
import { TokenRegistry } from "../../src/internal/TokenRegistry.js"

const ids = (registry: TokenRegistry, all: ReadonlyArray<string>) =>
  all.filter((id) => registry.lookup(id) !== undefined)

describe("TokenRegistry", () => {
  it("remembers what a refresh needs and whether the token was revoked", () => {
    const registry = new TokenRegistry()
    registry.issue("a", "paymentTokenize", 1800)
    expect(registry.lookup("a")).toEqual({ scope: "paymentTokenize", lifetimeSeconds: 1800, revoked: false })
    expect(registry.lookup("b")).toBeUndefined()
  })

  it("forgets the oldest token first once over capacity", () => {
    const registry = new TokenRegistry(3)
    for (const id of ["a", "b", "c", "d"]) registry.issue(id, "paymentTokenize", 1800)
    expect(ids(registry, ["a", "b", "c", "d"])).toEqual(["b", "c", "d"])
  })

  it("keeps a token that is being refreshed, forgetting the least recently used one instead", () => {
    const registry = new TokenRegistry(3)
    for (const id of ["a", "b", "c"]) registry.issue(id, "paymentTokenize", 1800)
    registry.refreshed("a")
    registry.issue("d", "paymentTokenize", 1800)
    expect(ids(registry, ["a", "b", "c", "d"])).toEqual(["a", "c", "d"])
  })

  it("keeps the revocation of a refreshed token", () => {
    const registry = new TokenRegistry(3)
    registry.issue("a", "paymentTokenize", 1800)
    expect(registry.revoke("a")).toBe(1)
    registry.refreshed("a")
    registry.refreshed("unknown")
    expect(registry.lookup("a")?.revoked).toBe(true)
    expect(registry.lookup("unknown")).toBeUndefined()
  })

  it("revokes every token at once, counting only the newly revoked ones", () => {
    const registry = new TokenRegistry()
    for (const id of ["a", "b", "c"]) registry.issue(id, "paymentTokenize", 1800)
    registry.revoke("b")
    expect(registry.revoke()).toBe(2)
    registry.clear()
    expect(registry.lookup("a")).toBeUndefined()
  })
})
