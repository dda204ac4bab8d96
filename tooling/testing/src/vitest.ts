/**
 * The shared vitest preset, with the Node 20 `groupBy` polyfill loaded before vitest prints anything.
 */
import "./groupByPolyfill.js"
import { defineConfig, mergeConfig, type ViteUserConfig } from "vitest/config"

/**
 * A package's vitest config: Node environment, `test/**\/*.test.ts`, generous timeouts for tests
 * that start servers, and the Node 20 fix above.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default vitestConfig({ test: { testTimeout: 30_000 } })
 * ```
 */
export const vitestConfig = (overrides: ViteUserConfig = {}) =>
  mergeConfig(
    defineConfig({
      test: {
        include: ["test/**/*.test.ts"],
        environment: "node",
        testTimeout: 30_000,
        hookTimeout: 90_000,
        setupFiles: [new URL("./groupByPolyfill.ts", import.meta.url).pathname]
      }
    }),
    overrides
  )
