// Starts the installed @ipos/auth-sandbox on 127.0.0.1 (a free port), gets a token from it with
// createTokenManager of the installed @ipos/auth-core, and checks that the sandbox's echo API
// accepts it. Then prints one JSON line (the sandbox's URL and its demo merchant credentials, fake
// strings that work only against a sandbox) and keeps the sandbox running for `ipos-auth token`
// until its stdin closes.
import { createTokenManager } from "@ipos/auth-core"
import { readJwt } from "@ipos/auth-core/JwtReader"
import { internalScopeNames, startSandbox } from "@ipos/auth-sandbox"

const sandbox = await startSandbox({ host: "127.0.0.1", port: 0 })
const stop = () => sandbox.stop().then(() => process.exit(process.exitCode ?? 0))
try {
  const merchant = sandbox.credentials.find((c) => c.level === "merchant")
  if (merchant === undefined) throw new Error("the sandbox has no merchant credentials")
  const tokens = createTokenManager({ apiKey: merchant.apiKey, secretKey: merchant.secretKey, baseUrl: sandbox.url })
  const token = await tokens.getToken()
  await tokens.close()
  const jwt = readJwt(token)
  if ("problem" in jwt) throw new Error(`createTokenManager gave a token readJwt cannot read: ${jwt.detail}`)
  // The default scope, PaymentTokenization, under the service's own name in the claims.
  if (jwt.claimScope !== internalScopeNames.PaymentTokenization)
    throw new Error(`the token's scope is ${jwt.claimScope}`)
  const echo = await fetch(`${sandbox.url}/api/v3/iposTransact`, { headers: { token } })
  if (echo.status !== 200) throw new Error(`the sandbox's echo API refused the token (${echo.status})`)
  console.log(JSON.stringify({ url: sandbox.url, apiKey: merchant.apiKey, secretKey: merchant.secretKey }))
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
  await stop()
}
process.stdin.resume()
process.stdin.on("end", stop)
