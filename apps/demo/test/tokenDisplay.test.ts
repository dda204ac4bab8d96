import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { shortToken, shownPrefixLength } from "../src/tokenDisplay.js"

const segment = fc.stringMatching(/^[A-Za-z0-9_-]{20,400}$/)

describe("shortToken", () => {
  it("shows the first characters and the fingerprint", () => {
    expect(shortToken("eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6InAifQ.c2lnbmF0dXJlMTIz", "…dXJlMTIz")).toBe(
      "eyJhbGciOiJS…dXJlMTIz"
    )
  })

  it("adds the ellipsis when the fingerprint has none", () => {
    expect(shortToken("abcdefghijklmnop", "xyz123")).toBe("abcdefghijkl…xyz123")
  })

  it("never shows more than the prefix and the 6-character fingerprint of any token", () => {
    fc.assert(
      fc.property(segment, segment, segment, (header, claims, signature) => {
        const token = `${header}.${claims}.${signature}`
        const shown = shortToken(token, `…${signature.slice(-6)}`)
        expect(shown).toBe(`${token.slice(0, shownPrefixLength)}…${signature.slice(-6)}`)
        expect(shown.includes(token)).toBe(false)
        expect(shown.includes(claims)).toBe(false)
      })
    )
  })
})
