// The shared vitest preset (plain JS: vitest loads configs before it can compile a linked
// workspace package's TypeScript). Types in vitest.d.ts.
import "./groupByPolyfill.js"
import { defineConfig, mergeConfig } from "vitest/config"

export const vitestConfig = (overrides = {}) =>
  mergeConfig(
    defineConfig({
      test: {
        include: ["test/**/*.test.ts"],
        environment: "node",
        testTimeout: 30_000,
        hookTimeout: 90_000,
        setupFiles: [new URL("./groupByPolyfill.js", import.meta.url).pathname]
      }
    }),
    overrides
  )
