// A consumer's TypeScript, type-checked (not run) in the consumer project under `node16` and
// `bundler` resolution: the packages as installed from their tarballs, typical uses of each.

import { createAuthClient } from "@ipos/auth-client"
import { authenticateToken, createClient } from "@ipos/auth-client/sdk"
import {
  type AuthFailure,
  type CreateTokenManagerOptions,
  createTokenManager,
  exitCodeOf,
  isAuthFailure,
  type PromiseTokenManager,
  readJwt,
  type TokenEvent,
  TokenManager
} from "@ipos/auth-core"
import { decodeJwt } from "@ipos/auth-core/Jwt"
import { isExpired, readJwt as readJwtAlone } from "@ipos/auth-core/JwtReader"
import { createNodeTokenManager, nodeTransport, tokenManagerLayerConfig } from "@ipos/auth-core/node"
import { parseCommand } from "@ipos/auth-proxy"
import { redisTokenStore } from "@ipos/auth-redis"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

export const options: CreateTokenManagerOptions = { apiKey: "key", secretKey: "secret", scope: "Recurring" }

export const promiseFacade = async (sandbox: Sandbox): Promise<string> => {
  const tokens: PromiseTokenManager = createTokenManager({ ...options, baseUrl: sandbox.url })
  const stop = tokens.onEvent((event: TokenEvent) => console.log(event._tag))
  try {
    const token: string = await tokens.getToken("PaymentTokenization")
    const jwt = readJwt(token)
    return "problem" in jwt ? jwt.detail : String(jwt.claimScope)
  } catch (error) {
    if (!isAuthFailure(error)) throw error
    const failure: AuthFailure = error
    return `${failure._tag} ${exitCodeOf(failure)}`
  } finally {
    stop()
    await tokens.close()
  }
}

export const nodeEntry = () => [createNodeTokenManager({ fromEnv: process.env }), nodeTransport] as const

export const effectProgram: Effect.Effect<string, unknown> = Effect.gen(function* () {
  const tokens = yield* TokenManager
  const token = yield* tokens.getToken({ scope: "BatchReport" })
  return Redacted.value(token)
}).pipe(Effect.provide(tokenManagerLayerConfig()))

export const decoding = (token: string) => {
  const alone = readJwtAlone(token)
  return [decodeJwt(token), "problem" in alone ? undefined : isExpired(alone, Date.now())] as const
}

export const clients = () => [
  createAuthClient({ baseUrl: "http://127.0.0.1:4010" }),
  authenticateToken({
    client: createClient({ baseUrl: "http://127.0.0.1:4010" }),
    headers: { apiKey: "key", secretKey: "secret", scope: "Recurring" }
  })
]

export const shared = () =>
  createTokenManager({ ...options, store: redisTokenStore({ url: "redis://127.0.0.1:6379" }) })

export const sandbox = (): Promise<Sandbox> => startSandbox({ host: "127.0.0.1", port: 0, tokenLifetimeSeconds: 60 })

export const proxyCommand = () => parseCommand(["--upstream", "http://127.0.0.1:8080"], {})
