import { spawn } from "node:child_process"
import { dirname } from "node:path"
import { describe, expect, it } from "vitest"
import { bin, cleanEnv, runCli } from "../support/runCli.js"

// `ipos-auth sandbox` in the foreground: banner with URL, credentials and exports; the other
// commands work against it; SIGTERM stops it cleanly.
describe("ipos-auth sandbox", () => {
  it("serves on a free port, prints how to use it and its faults, and stops on SIGTERM with 143", async () => {
    const args = ["sandbox", "--port", "0", "--host", "127.0.0.1", "--token-lifetime-seconds", "20"]
    const child = spawn(process.execPath, [bin, ...args], {
      // A flag wins over its variable; variables without a flag still count. Started as
      // `pnpm exec ipos-auth sandbox` is, with only node's directory on PATH.
      env: cleanEnv({
        IPOS_SANDBOX_FAIL_NEXT: "2:503",
        IPOS_SANDBOX_TOKEN_LIFETIME_SECONDS: "5",
        npm_command: "exec",
        npm_config_user_agent: "pnpm/10.34.8 npm/? node/v20.19.0 linux x64",
        PATH: dirname(process.execPath)
      }),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${stdout}`)), 15_000)
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          stdout += d
          if (stdout.includes("Ctrl-C stops it")) {
            clearTimeout(timer)
            resolve()
          }
        })
      })
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? ""
      expect(url).not.toBe("")
      expect(stdout).toContain(`  export IPOS_AUTH_URL=${url}\n`)
      expect(stdout).toContain("  export IPOS_API_KEY=demo-merchant-api-key\n")
      expect(stdout).toContain(
        "  export IPOS_SECRET_KEY=demo-merchant-secret-key\n  pnpm exec ipos-auth token --json\n"
      )
      expect(stdout).toContain(
        "  agentOffice  apiKey=demo-agent-office-api-key  secretKey=demo-agent-office-secret-key  scopes: ExternalApi\n"
      )
      expect(stdout).toContain(
        "Faults on:\n  failNext: the next 2 auth requests get an HTML 503\n  tokenLifetimeSeconds: tokens live 20 s, whatever minutes are asked\n"
      )
      const minted = await runCli(["token", "--auth-url", url, "--json"], {
        env: cleanEnv({ IPOS_API_KEY: "demo-merchant-api-key", IPOS_SECRET_KEY: "demo-merchant-secret-key" })
      })
      expect(minted.code).toBe(0)
      const { issuedAt, expiresAt } = JSON.parse(minted.stdout) as { issuedAt: string; expiresAt: string }
      expect(Date.parse(expiresAt) - Date.parse(issuedAt)).toBe(20_000)
    } finally {
      child.kill("SIGTERM")
    }
    // The runtime interrupts the program, which stops the server; 128 + SIGTERM, as shells expect.
    expect(await exited).toBe(143)
  })

  it("exits 2 when the port is taken", async () => {
    const { createServer } = await import("node:net")
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    try {
      const result = await runCli(["sandbox", "--port", String(port)])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("ipos-auth: the sandbox could not start:")
      expect(result.stderr).toContain("EADDRINUSE")
    } finally {
      server.close()
    }
  })

  it.each<[string, ReadonlyArray<string>, Record<string, string>, string]>([
    ["--port x", ["--port", "x"], {}, '--port must be an integer from 0 to 65535 (got "x")'],
    ["--port 70000", ["--port", "70000"], {}, '--port must be an integer from 0 to 65535 (got "70000")'],
    [
      "--error-status 500",
      ["--error-status", "500"],
      { IPOS_SANDBOX_ERROR_STATUS: "401" },
      '--error-status must be 200 or an integer from 400 to 499 (got "500")'
    ],
    [
      "IPOS_SANDBOX_ERROR_STATUS=500",
      [],
      { IPOS_SANDBOX_ERROR_STATUS: "500" },
      'IPOS_SANDBOX_ERROR_STATUS must be 200 or an integer from 400 to 499 (got "500")'
    ],
    [
      "--fail-next lots",
      ["--fail-next", "lots"],
      { IPOS_SANDBOX_FAIL_NEXT: "1" },
      '--fail-next must be COUNT, COUNT:STATUS or COUNT:reset, e.g. 3, 3:503 or 3:reset (got "lots")'
    ],
    [
      "--allowed-origins app.example",
      ["--allowed-origins", "app.example"],
      {},
      '--allowed-origins must be "*" or origins like http://localhost:5173 (got "app.example")'
    ]
  ])("exits 2 for %s, naming the flag or variable used and what was typed", async (_, flags, env, message) => {
    const result = await runCli(["sandbox", ...flags], { env: cleanEnv(env) })
    expect([result.code, result.stderr]).toEqual([2, `ipos-auth: the sandbox could not start: ${message}\n`])
  })

  it("never shows a typed value that holds a key", async () => {
    const env = cleanEnv({ IPOS_SECRET_KEY: "real-secret-4711", IPOS_SANDBOX_FAIL_NEXT: "real-secret-4711" })
    const fromEnv = await runCli(["sandbox"], { env })
    expect(fromEnv.stderr).toBe(
      "ipos-auth: the sandbox could not start: IPOS_SANDBOX_FAIL_NEXT must be COUNT, COUNT:STATUS or COUNT:reset, e.g. 3, 3:503 or 3:reset (got a value that holds a key: not shown)\n"
    )
    const fromFlag = await runCli(["sandbox", "--port", "real-secret-4711"], { env })
    expect(fromFlag.stderr).toBe(
      "ipos-auth: the sandbox could not start: --port must be an integer from 0 to 65535 (got a value that holds a key: not shown)\n"
    )
  })
})
