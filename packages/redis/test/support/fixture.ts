/** The sandbox and Redis of a test file, with a key prefix per test removed afterwards. */
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { afterAll, beforeAll } from "vitest"
import { clearPrefix, testPrefix, testRedis } from "./redis.js"

export interface Fixture {
  readonly sandbox: Sandbox
  readonly redisUrl: string
  /** A key prefix of one test alone. */
  readonly prefix: () => string
}

export const useFixture = (): Fixture => {
  let sandbox: Sandbox | undefined
  let redisUrl: string | undefined
  const prefixes: Array<string> = []
  beforeAll(async () => {
    redisUrl = (await testRedis()).url
    sandbox = await startSandbox()
  })
  afterAll(async () => {
    await sandbox?.stop()
    if (redisUrl !== undefined) for (const p of prefixes) await clearPrefix(redisUrl, p)
  })
  const ready = <A>(value: A | undefined, name: string): A => {
    if (value === undefined) throw new Error(`${name} is not started (used outside a test?)`)
    return value
  }
  return {
    get sandbox() {
      return ready(sandbox, "the sandbox")
    },
    get redisUrl() {
      return ready(redisUrl, "Redis")
    },
    prefix: () => {
      const p = testPrefix()
      prefixes.push(p)
      return p
    }
  }
}
