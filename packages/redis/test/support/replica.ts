/**
 * One replica of a multi-process scenario, run as a child process: a token manager on the Redis
 * store, pointed at the sandbox. It prints one JSON line with what it saw, then exits.
 *
 * REPLICA_MODE=burst: REPLICA_CALLERS concurrent cold callers. REPLICA_MODE=run: for
 * REPLICA_DURATION_MS, a call every REPLICA_PERIOD_MS, each token checked against its `exp`.
 */
import { createTokenManager, type TokenEvent } from "@ipos/auth-core"
import { redisTokenStore } from "../../src/index.js"

const env = process.env
const num = (name: string, fallback: number) => Number(env[name] ?? fallback)

const manager = createTokenManager({
  apiKey: "demo-merchant-api-key",
  secretKey: "demo-merchant-secret-key",
  baseUrl: env.REPLICA_SANDBOX_URL,
  timeoutMs: 30_000,
  retry: { maxAttempts: 1 },
  store: redisTokenStore({
    url: env.REPLICA_REDIS_URL ?? "",
    keyPrefix: env.REPLICA_PREFIX,
    encryptionKey: env.REPLICA_TOKEN_KEY,
    leaseMs: num("REPLICA_LEASE_MS", 15_000),
    operationTimeoutMs: num("REPLICA_OP_TIMEOUT_MS", 1000)
  })
})

const events: Record<string, number> = {}
manager.onEvent((event: TokenEvent) => {
  events[event._tag] = (events[event._tag] ?? 0) + 1
})

const expOf = (jwt: string): number => {
  const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp: number }
  return payload.exp * 1000
}

let last: string | undefined
// A downstream refusal of the current token, as a 401 would cause.
process.on("SIGUSR2", () => manager.invalidate(last))

const main = async () => {
  const errors: Array<string> = []
  const tokens = new Set<string>()
  let expired = 0
  let calls = 0
  const call = async () => {
    calls += 1
    try {
      const token = await manager.getToken()
      tokens.add(token)
      last = token
      if (expOf(token) <= Date.now()) expired += 1
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error))
    }
  }
  // Connected before the burst: the cold start measured is the tokens', not the sockets'.
  await new Promise((r) => setTimeout(r, num("REPLICA_WARMUP_MS", 300)))
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
  const started = performance.now()
  if (env.REPLICA_MODE === "run") {
    const end = Date.now() + num("REPLICA_DURATION_MS", 10_000)
    const period = num("REPLICA_PERIOD_MS", 50)
    while (Date.now() < end) {
      await call()
      await new Promise((r) => setTimeout(r, period))
    }
  } else {
    await Promise.all(Array.from({ length: num("REPLICA_CALLERS", 1000) }, call))
  }
  const ms = performance.now() - started
  await manager.close()
  process.stdout.write(
    `${JSON.stringify({ calls, errors: errors.slice(0, 5), errorCount: errors.length, tokens: tokens.size, expired, events, ms, token: env.REPLICA_PRINT_TOKEN === "1" ? last : undefined })}\n`
  )
}

void main()
