// The shared vitest preset (plain JS: vitest loads configs before it can compile a linked
// workspace package's TypeScript). Types in vitest.d.ts.
import "./groupByPolyfill.js"
import { defineConfig, mergeConfig } from "vitest/config"

// tooling/scripts/turbo.sh names the Node of a run in every task's hash; tests that ran on another
// Node (a PATH that puts another `node` first) would make a CI pass claim a version it did not test.
const runNode = process.env.WORKSPACE_NODE_VERSION
if (runNode !== undefined && runNode !== process.version) {
  throw new Error(`vitest runs on Node ${process.version}, but this run is for Node ${runNode}: check PATH`)
}

export const vitestConfig = (overrides = {}) =>
  mergeConfig(
    defineConfig({
      test: {
        include: ["test/**/*.test.ts"],
        environment: "node",
        testTimeout: 30_000,
        hookTimeout: 90_000,
        setupFiles: [new URL("./groupByPolyfill.js", import.meta.url).pathname],
        // vitest's tuning hints after each run ("Isolate: N workers spawned … faster with
        // isolate: false"): advice about vitest's own settings nobody running `npm test` asked for.
        experimental: { diagnostics: false }
      }
    }),
    overrides
  )
