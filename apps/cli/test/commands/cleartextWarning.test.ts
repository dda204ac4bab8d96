import { describe, expect, it } from "vitest"
import { cleartextWarning } from "../../src/commands/issue.js"

// Keys and tokens never leave this machine unencrypted without a word on stderr.
describe("cleartextWarning", () => {
  it.each([
    "http://127.0.0.1:8080",
    "http://127.10.0.1",
    "http://localhost:4010",
    "http://LOCALHOST",
    "http://[::1]:8080",
    "https://auth.ipospays.tech",
    "https://10.0.0.5:8443"
  ])("says nothing for %s", (url) => {
    expect(cleartextWarning(url, "the token")).toBeUndefined()
  })

  it.each([
    ["http://10.0.0.5:8080", "http://10.0.0.5:8080"],
    ["http://auth.example.test/base/", "http://auth.example.test"],
    ["http://127.0.0.1.example.test", "http://127.0.0.1.example.test"]
  ])("warns for %s", (url, origin) => {
    expect(cleartextWarning(url, "the API key and secret key")).toBe(
      `ipos-auth: warning: ${origin} is not encrypted: the API key and secret key would cross the network in clear text (use https://)`
    )
  })
})
