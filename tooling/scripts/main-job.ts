/**
 * The Quick start's main job, until the CLI exists: start Prism on the contract and show the
 * typed client minting a token, refreshing it, and receiving a documented error.
 */
import { createAuthClient } from "../../packages/client/dist/index.js"
import { startPrism } from "../testing/src/index.js"

const step = (n: number, text: string) => console.log(`\n\x1b[1m${n}. ${text}\x1b[0m`)
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"))

step(1, "Starting Prism on spec/openapi.yaml (127.0.0.1, free port)…")
const prism = await startPrism({ mode: "mock" })
console.log(`   mock of the iPOSpays auth API at ${prism.url}`)
try {
  const client = createAuthClient({ baseUrl: prism.url })

  step(2, "POST /v1/authenticate-token with the typed openapi-fetch client")
  const minted = await client.POST("/v1/authenticate-token", {
    params: { header: { apiKey: "demo-api-key", secretKey: "demo-secret-key", scope: "PaymentTokenization" } }
  })
  if (minted.data && "token" in minted.data) {
    const { token, createdDt } = minted.data
    console.log(`   token …${token.slice(-12)} (createdDt ${createdDt}), claims ${JSON.stringify(claims(token))}`)

    step(3, "POST /v1/refresh-token with refreshToken: true")
    const refreshed = await client.POST("/v1/refresh-token", { params: { header: { refreshToken: true, token } } })
    if (refreshed.data && "token" in refreshed.data) {
      console.log(`   new token …${refreshed.data.token.slice(-12)}, claims ${JSON.stringify(claims(refreshed.data.token))}`)
    }
  }

  step(4, "A documented error, delivered under HTTP 200 (Prefer: example=AUTH_ERR_004)")
  const refused = await client.POST("/v1/authenticate-token", {
    params: { header: { apiKey: "demo-api-key", secretKey: "wrong", scope: "PaymentTokenization" } },
    headers: { Prefer: "example=AUTH_ERR_004" }
  })
  if (refused.data && "errorCode" in refused.data) {
    console.log(`   HTTP ${refused.response.status}: ${refused.data.errorCode} ${refused.data.errorMessage}`)
  }
  console.log("\nDone. `npm test` runs every test.")
} finally {
  await prism.stop()
}
