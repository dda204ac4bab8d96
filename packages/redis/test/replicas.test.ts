/**
 * Many processes, one token: real child processes sharing the Redis store, against the sandbox.
 */
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { clearPrefix, rawClient, startOwnRedis, testPrefix, testRedis } from "./support/redis.js"
import { startReplica } from "./support/replicas.js"

let sandbox: Sandbox
let redisUrl: string
const prefixes: Array<string> = []
const prefix = () => {
  const p = testPrefix()
  prefixes.push(p)
  return p
}

beforeAll(async () => {
  redisUrl = (await testRedis()).url
  sandbox = await startSandbox()
})

afterAll(async () => {
  await sandbox?.stop()
  for (const p of prefixes) await clearPrefix(redisUrl, p)
})

const authentications = () => sandbox.counters().requests["/v1/authenticate-token"]
const refreshes = () => sandbox.counters().requests["/v1/refresh-token"]

describe("replicas sharing one token through Redis", () => {
  it("8 processes × 1,000 concurrent cold callers make exactly 1 authentication", async () => {
    sandbox.reset()
    const env = { REPLICA_SANDBOX_URL: sandbox.url, REPLICA_REDIS_URL: redisUrl, REPLICA_PREFIX: prefix() }
    const replicas = Array.from({ length: 8 }, () => startReplica({ ...env, REPLICA_CALLERS: "1000" }))
    const reports = await Promise.all(replicas.map((r) => r.report))
    expect(reports.map((r) => r.errorCount)).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(reports.map((r) => r.calls)).toEqual(Array(8).fill(1000))
    expect(reports.map((r) => r.tokens)).toEqual(Array(8).fill(1))
    expect(authentications()).toBe(1)
    expect(refreshes()).toBe(0)
  }, 120_000)
})
