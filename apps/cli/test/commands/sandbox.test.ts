import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { banner, exposure, listening } from "../../src/commands/sandbox.js"

// A real sandbox on loopback, shown as if bound elsewhere: binding 0.0.0.0 for real would expose a
// test server to the network.
let running: Sandbox
beforeAll(async () => {
  running = await startSandbox()
})
afterAll(() => running?.stop())
const bound = (host: string, url: string): Sandbox => ({ ...running, host, port: 8080, url })

describe("the sandbox banner", () => {
  it.each<[string, string, string]>([
    ["127.0.0.1", "http://127.0.0.1:8080", "iPOSpays auth sandbox listening on http://127.0.0.1:8080"],
    ["localhost", "http://localhost:8080", "iPOSpays auth sandbox listening on http://localhost:8080"],
    [
      "0.0.0.0",
      "http://127.0.0.1:8080",
      "iPOSpays auth sandbox listening on 0.0.0.0:8080 (reachable from the network); local clients use http://127.0.0.1:8080"
    ],
    [
      "::",
      "http://[::1]:8080",
      "iPOSpays auth sandbox listening on [::]:8080 (reachable from the network); local clients use http://[::1]:8080"
    ],
    [
      "192.168.1.5",
      "http://192.168.1.5:8080",
      "iPOSpays auth sandbox listening on 192.168.1.5:8080 (reachable from the network); local clients use http://192.168.1.5:8080"
    ]
  ])("says where a sandbox bound to %s listens", (host, url, want) => {
    expect(listening(bound(host, url))).toBe(want)
    expect(banner(bound(host, url), "ipos-auth").split("\n")[0]).toBe(want)
  })

  it("warns that a bind beyond loopback exposes the sandbox and its control API, and only then", () => {
    expect(exposure(bound("0.0.0.0", "http://127.0.0.1:8080"))).toBe(
      "ipos-auth: warning: the sandbox listens on 0.0.0.0:8080, so it is reachable from the network, its control API included: whoever reaches this machine can mint tokens with the demo credentials, switch faults on, revoke tokens, reset the sandbox and read its counters. Use --host 127.0.0.1 (the default) unless that is what you want."
    )
    expect(exposure(bound("::", "http://[::1]:8080"))).toContain("listens on [::]:8080, so it is reachable")
    expect(exposure(bound("127.0.0.1", "http://127.0.0.1:8080"))).toBeUndefined()
    expect(exposure(bound("::1", "http://[::1]:8080"))).toBeUndefined()
  })

  it("writes the first command the way ipos-auth runs in the user's shell", () => {
    expect(banner(bound("127.0.0.1", "http://127.0.0.1:8080"), "pnpm exec ipos-auth")).toContain(
      "\n  export IPOS_SECRET_KEY=demo-merchant-secret-key\n  pnpm exec ipos-auth token --json\n"
    )
  })
})
