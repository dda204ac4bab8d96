import { describe, expect, it } from "vitest"
import { initialSandboxUrl, sandboxOrigin } from "../src/sandboxUrl.js"

describe("sandboxOrigin", () => {
  it.each([
    ["http://127.0.0.1:4010", "http://127.0.0.1:4010"],
    ["http://127.0.0.1:4010/", "http://127.0.0.1:4010"],
    ["  http://localhost:5000/some/path?x=1  ", "http://localhost:5000"],
    ["https://sandbox.example.test", "https://sandbox.example.test"],
    ["javascript:alert(1)", undefined],
    ["file:///etc/passwd", undefined],
    ["127.0.0.1:4010", undefined],
    ["not a url", undefined],
    ["", undefined],
    [null, undefined],
    [undefined, undefined]
  ])("%s → %s", (given, want) => {
    expect(sandboxOrigin(given)).toBe(want)
  })
})

describe("initialSandboxUrl", () => {
  it.each([
    ["the query parameter wins", "?sandbox=http://127.0.0.1:4010", "http://127.0.0.1:5000", "http://127.0.0.1:4010"],
    ["an encoded parameter", "?sandbox=http%3A%2F%2F127.0.0.1%3A4010", undefined, "http://127.0.0.1:4010"],
    ["then the dev server's sandbox", "", "http://127.0.0.1:5000", "http://127.0.0.1:5000"],
    ["a bad parameter falls through", "?sandbox=javascript:alert(1)", "http://127.0.0.1:5000", "http://127.0.0.1:5000"],
    ["else nothing: the field asks", "?other=1", undefined, ""]
  ])("%s", (_, search, devDefault, want) => {
    expect(initialSandboxUrl(search, devDefault)).toBe(want)
  })
})
