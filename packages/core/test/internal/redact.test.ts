import { describe, expect, it } from "vitest"
import { REDACTED, scrub } from "../../src/internal/redact.js"

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6InBheW1lbnRUb2tlbml6ZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

describe("scrub", () => {
  it("masks JWTs wherever they start, keeping the character before them", () => {
    expect(scrub(jwt, [], 200)).toBe("<jwt>")
    expect(scrub(`token:${jwt} end`, [], 200)).toBe("token:<jwt> end")
    expect(scrub(`x.${jwt}`, [], 200)).toBe("x.<jwt>")
    expect(scrub(`${jwt} ${jwt}`, [], 200)).toBe("<jwt> <jwt>")
  })

  it("replaces secrets and cuts the text", () => {
    expect(scrub("key=sk-fake-1 and more", ["sk-fake-1"], 200)).toBe(`key=${REDACTED} and more`)
    expect(scrub("a".repeat(100), [], 10)).toBe(`${"a".repeat(9)}…`)
  })

  // The former pattern retried at every position of a long run without dots: ~8 s for 64 KiB.
  it("takes linear time on a 64 KiB run of token characters", { timeout: 2000 }, () => {
    const run = "x".repeat(64 * 1024)
    expect(scrub(run, [], 80)).toBe(`${"x".repeat(79)}…`)
    expect(scrub(`${run}.${run}`, [], 80)).toBe(`${"x".repeat(79)}…`)
  })
})
