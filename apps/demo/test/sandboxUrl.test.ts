import { describe, expect, it } from "vitest"
import { initialSandboxUrl, isLoopback, sandboxOrigin } from "../src/sandboxUrl.js"

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

describe("isLoopback", () => {
  it.each([
    ["http://127.0.0.1:4010", true],
    ["http://127.12.0.3", true],
    ["http://localhost:5173", true],
    ["http://[::1]:8080", true],
    ["http://127.0.0.1.example.test", false],
    ["http://10.0.0.5:4010", false],
    ["https://sandbox.example.test", false],
    ["http://localhost.example.test", false]
  ])("%s → %s", (origin, want) => {
    expect(isLoopback(origin)).toBe(want)
  })
})
