import { vitestConfig } from "@ipos/testing/vitest"

// The browser suite starts Chromium, a sandbox and a static server once (globalSetup) and drives
// real waits on 20-second tokens: generous timeouts, one file at a time on a shared machine.
export default vitestConfig({
  test: {
    globalSetup: ["./test/globalSetup.ts"],
    testTimeout: 120_000,
    // A page on a busy machine may take seconds to show what a poll waits for (default: 1 s).
    expect: { poll: { timeout: 15_000 } },
    fileParallelism: false
  }
})
