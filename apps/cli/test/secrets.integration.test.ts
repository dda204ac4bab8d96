import { randomBytes } from "node:crypto"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cleanEnv, runCli } from "./support/runCli.js"

// Whatever fails, stderr never shows the API key, the secret key or a whole token; stdout shows
// a token only where the user asked for one.
const apiKey = `key-${randomBytes(12).toString("hex")}`
const secretKey = `secret-${randomBytes(12).toString("hex")}`
let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ credentials: [{ level: "iso", apiKey, secretKey }] })
})
afterAll(() => sandbox?.stop())

describe("no secret in any output", () => {
  it("holds for every command and failure", async () => {
    const env = cleanEnv({ IPOS_AUTH_URL: sandbox.url, IPOS_API_KEY: apiKey, IPOS_SECRET_KEY: secretKey })
    const token = (await runCli(["token"], { env })).stdout.trim()
    const [header, claims] = token.split(".")
    const forged = `${header}.${claims}.${randomBytes(64).toString("base64url")}`
    const runs = [
      await runCli(["token", "--expiry", "10"], { env }),
      await runCli(["token", "--scope", secretKey], { env }),
      await runCli(["token", `--auth-url=${secretKey}`], { env }),
      await runCli(["token"], { env: { ...env, IPOS_SECRET_KEY: `${secretKey}x` } }),
      await runCli(["token"], { env: { ...env, IPOS_API_KEY: `${apiKey}x` } }),
      await runCli(["token"], { env: { ...env, IPOS_TOKEN_EXPIRY_MINUTES: secretKey } }),
      await runCli(["refresh", "--token", forged], { env }),
      await runCli(["refresh", "--token", `${token}x`], { env }),
      await runCli(["decode", token]),
      await runCli(["decode", `${token}.${secretKey}`]),
      await runCli(["token", "--bogus", secretKey], { env }),
      await runCli(["token", secretKey], { env }),
      await runCli(["token", apiKey, "--json"], { env }),
      await runCli(["refresh", token, "--bogus"], { env }),
      await runCli(["refresh", token, forged], { env }),
      await runCli(["decode", token, forged])
    ]
    sandbox.setFaults({ malformed: { count: 1, kind: "html" } })
    runs.push(await runCli(["token"], { env }))
    sandbox.setFaults({ authError: { count: 1, errorCode: "AUTH_ERR_099", errorMessage: `bad key ${apiKey}` } })
    runs.push(await runCli(["token"], { env }))
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 3, 3, 2, 3, 3, 0, 2, 2, 2, 2, 2, 2, 2, 5, 3])
    for (const run of runs) {
      for (const secret of [apiKey, secretKey, token, forged]) {
        expect(run.stderr).not.toContain(secret)
        expect(run.stdout).not.toContain(secret)
      }
    }
  })
})
