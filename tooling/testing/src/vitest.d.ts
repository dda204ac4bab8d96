import type { ViteUserConfig } from "vitest/config"

/**
 * A package's vitest config: Node environment, `test/**\/*.test.ts`, generous timeouts for tests
 * that start servers, and the Node 20 `Map.groupBy` polyfill vitest 5 needs to print failures.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default vitestConfig({ test: { testTimeout: 60_000 } })
 * ```
 */
export declare const vitestConfig: (overrides?: ViteUserConfig) => ViteUserConfig
