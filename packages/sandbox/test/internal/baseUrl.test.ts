import { describe, expect, it } from "vitest"
import { baseUrl } from "../../src/internal/baseUrl.js"

describe("baseUrl", () => {
  it.each([
    ["127.0.0.1", "http://127.0.0.1:8788"],
    ["localhost", "http://localhost:8788"],
    ["0.0.0.0", "http://127.0.0.1:8788"],
    ["::", "http://[::1]:8788"],
    ["::1", "http://[::1]:8788"],
    ["192.168.1.20", "http://192.168.1.20:8788"]
  ])("reports a sandbox bound to %s as %s", (host, want) => {
    expect(baseUrl(host, 8788)).toBe(want)
  })
})
