import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fakeJwt } from "./support/fixedAnswer.js"
import { bin, cleanEnv, runCli } from "./support/runCli.js"

/** The version the build stamps into the binary: package.json's, whatever the release made it. */
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }

// The binary's command tree: help, version, usage errors (exit 2), and the fast path agreeing
// with the effect/cli program on every plain command line.
let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox?.stop())

describe("ipos-auth", () => {
  it.each([["token"], ["refresh"], ["decode"], ["sandbox"]])("has help with examples for %s", async (command) => {
    const result = await runCli([command, "--help"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`USAGE\n  ipos-auth ${command}`)
    expect(result.stdout).toContain("EXAMPLES")
  })

  it("lists the commands and the exit codes in its help", async () => {
    const result = await runCli(["--help"])
    expect(result.code).toBe(0)
    for (const command of ["token", "refresh", "decode", "sandbox"]) expect(result.stdout).toContain(command)
    expect(result.stdout).toContain("3 refused by iPOSpays")
  })

  it("prints its version", async () => {
    const result = await runCli(["--version"])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe(`ipos-auth v${version}`)
  })

  // Set-up never puts ipos-auth on PATH: the printed installation must work as shown, from a
  // shell whose PATH lacks it, and leave a new shell completing `ipos-auth` (bash: on every CI image).
  it("prints a bash completion script whose installation commands work as shown", async () => {
    const result = await runCli(["--completions", "bash"])
    expect(result.code).toBe(0)
    const start = result.stdout.indexOf("# Installation")
    const comment = result.stdout.slice(start, result.stdout.indexOf("\n#\n", start))
    const [title, ...steps] = comment.split("\n")
    expect(title).toBe("# Installation (completions apply to `ipos-auth` found on PATH):")
    expect(steps.at(-1)).toBe("#   then open a new shell")
    const home = mkdtempSync(join(tmpdir(), "ipos-auth-home-"))
    try {
      const shell = { HOME: home, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` }
      const commands = steps.slice(0, -1).map((line) => line.replace(/^# {3}/, ""))
      expect(spawnSync("bash", ["-c", commands.join("\n")], { env: shell }).status).toBe(0)
      const fresh = spawnSync("bash", ["-c", "source ~/.bashrc && complete -p ipos-auth && ipos-auth --version"], {
        env: shell,
        encoding: "utf8"
      })
      expect(fresh.stdout).toBe(`complete -F _ipos_auth ipos-auth\nipos-auth v${version}\n`)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })

  it("prints its help on stderr, not stdout, and exits 2 when run without a command", async () => {
    const result = await runCli([])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("USAGE\n  ipos-auth <subcommand> [flags]")
  })

  it("points at the environment when keys are given as flags, never echoing them", async () => {
    const result = await runCli(["token", "--secret-key", "typed-secret-value"])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      [
        "ipos-auth: Unrecognized flag: --secret-key in command ipos-auth token",
        "Credentials are read from IPOS_API_KEY and IPOS_SECRET_KEY only: a flag's value would show in `ps` and in shell history.",
        "Run `ipos-auth token --help` for usage.",
        ""
      ].join("\n")
    )
  })

  it("refuses --wizard without a terminal instead of printing prompts where a script reads a token", async () => {
    const result = await runCli(["token", "--wizard"])
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "ipos-auth: --wizard needs an interactive terminal (stdin and stdout)\n"
    })
  })

  it.each([
    [["token", "--bogus"], "Unrecognized flag: --bogus"],
    [["frobnicate"], "frobnicate"],
    [["sandbox", "--port", "x"], "--port"]
  ])("exits 2 for the usage error %j and says what is wrong on stderr", async (args, mention) => {
    const result = await runCli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(mention)
  })

  it.each([["token"], ["refresh"], ["decode"]])(
    "shows stdin, never a token argument, in the examples of %s",
    async (command) => {
      const help = (await runCli([command, "--help"])).stdout
      const examples = help.slice(help.indexOf("EXAMPLES"))
      expect(examples).not.toMatch(/ipos-auth (refresh|decode) (--token )?"\$TOKEN"/)
      if (command !== "token") expect(examples).toContain(`echo "$TOKEN" | ipos-auth ${command}`)
    }
  )

  it("steers to stdin in the completion help of the token flag and arguments", async () => {
    const zsh = (await runCli(["--completions", "zsh"])).stdout
    // zsh escapes the colons of descriptions.
    expect(zsh.match(/The token to refresh; prefer stdin\\: (a flag|an argument)/g)).toHaveLength(2)
    expect(zsh).not.toContain("The token to refresh; read from stdin when absent")
  })

  it("describes an unexpected argument by position and length, never echoing it", async () => {
    const result = await runCli(["token", "MySecretValue456"])
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "ipos-auth: Unexpected positional argument (position 2, 16 characters; not shown, it could be a secret)\n" +
        "Run `ipos-auth token --help` for usage.\n"
    })
    const first = await runCli(["MySecretValue456"])
    expect(first.code).toBe(2)
    expect(first.stderr).not.toContain("MySecretValue456")
    expect(first.stderr.split("\n")[0]).toBe(
      'ipos-auth: Unknown subcommand (position 1, 16 characters; not shown, it could be a secret) for "ipos-auth"'
    )
  })

  it("warns on stderr when a token is passed as an argument, and not when it is piped", async () => {
    const jwt = fakeJwt({ scope: "paymentTokenize", iat: 1_744_807_702, exp: 1_744_894_102 })
    const warning =
      'ipos-auth: warning: a token on the command line is visible to every user of this machine (ps, /proc/*/cmdline): pipe it on stdin instead, e.g. echo "$TOKEN" | ipos-auth decode\n'
    const argument = await runCli(["decode", jwt, "--json"])
    const piped = await runCli(["decode", "--json"], { stdin: `${jwt}\n` })
    expect(argument).toEqual({ ...piped, stderr: warning })
    expect(piped).toMatchObject({ code: 0, stderr: "" })
  })

  it.each([
    ["decode", ["decode"]],
    ["refresh", ["refresh", "--auth-url", "http://127.0.0.1:9"]]
  ])("refuses more than 64 KiB on stdin with exit 2 (%s), sending nothing", async (_, args) => {
    const result = await runCli(args, { stdin: "x".repeat(2 * 1024 * 1024) })
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "ipos-auth: stdin holds more than 64 KiB: a token is a few KiB; pipe only the token\n"
    })
  })

  // `ipos-auth token | true`: the reader is gone before anything is written.
  it.each([
    ["decode (fast path)", ["decode", "--json"]],
    ["--help (effect/cli)", ["--help"]]
  ])("exits quietly with 141, as for SIGPIPE, when stdout is closed: %s", async (_, args) => {
    const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv(), stdio: ["pipe", "pipe", "pipe"] })
    child.stdout.destroy()
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.stdin.on("error", () => {})
    child.stdin.end(fakeJwt({ exp: 1_744_894_102 }))
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve))
    expect({ code, stderr }).toEqual({ code: 141, stderr: "" })
  })

  it("gives the same answer on the fast path and through effect/cli", async () => {
    const env = cleanEnv({
      IPOS_AUTH_URL: sandbox.url,
      IPOS_API_KEY: "demo-iso-api-key",
      IPOS_SECRET_KEY: "demo-iso-secret-key"
    })
    const minted = (await runCli(["token"], { env })).stdout.trim()
    // Outputs that carry a fresh token differ run to run; compare their shape and the rest exactly.
    const normalize = (text: string) =>
      text
        .replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, "<jwt>")
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z( \([^)]*\))?/g, "<time>")
    const line = fc.oneof(
      fc.record({
        command: fc.constant("token"),
        scope: fc.option(fc.constantFrom("PaymentTokenization", "ExternalApi", "Nope"), { nil: undefined }),
        expiry: fc.option(fc.constantFrom("30", "29", "1440", "x"), { nil: undefined }),
        json: fc.boolean()
      }),
      fc.record({ command: fc.constant("refresh"), token: fc.constantFrom(minted, "a.b", ""), json: fc.boolean() }),
      fc.record({ command: fc.constant("decode"), token: fc.constantFrom(minted, "a.b.c", "x"), json: fc.boolean() })
    )
    const argvOf = (l: Record<string, unknown>): Array<string> => {
      const argv = [String(l.command)]
      if (typeof l.scope === "string") argv.push("--scope", l.scope)
      if (typeof l.expiry === "string") argv.push("--expiry", l.expiry)
      if (l.command === "refresh") argv.push(`--token=${l.token}`)
      if (l.command === "decode") argv.push(String(l.token))
      if (l.json === true) argv.push("--json")
      return argv
    }
    await fc.assert(
      fc.asyncProperty(line, async (l) => {
        const argv = argvOf(l)
        const fast = await runCli(argv, { env })
        const full = await runCli(argv, { env: { ...env, IPOS_AUTH_CLI_FAST_PATH: "0" } })
        expect({ code: full.code, stdout: normalize(full.stdout), stderr: full.stderr }).toEqual({
          code: fast.code,
          stdout: normalize(fast.stdout),
          stderr: fast.stderr
        })
      }),
      { numRuns: 12, seed: 20261125 }
    )
  }, 120_000)
})
