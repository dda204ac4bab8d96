/** Runs the built `ipos-auth` binary as a subprocess, as users and scripts do. */
import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const bin = join(dirname(fileURLToPath(import.meta.url)), "../../bin/ipos-auth.cjs")

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Environment without any IPOS_* variable of the machine running the tests. */
export const cleanEnv = (extra: Record<string, string> = {}): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("IPOS_") && v !== undefined) env[k] = v
  return { ...env, NO_COLOR: "1", ...extra }
}

/** The names of the key variables whose values appear in the output (never the values). */
const leakedKeys = (env: Record<string, string>, output: string): ReadonlyArray<string> =>
  ["IPOS_API_KEY", "IPOS_SECRET_KEY"].filter((name) => {
    const value = env[name]?.trim()
    return value !== undefined && value.length >= 4 && output.includes(value)
  })

/**
 * Runs `ipos-auth ...args` with `env` (nothing inherited from IPOS_*), optional stdin, and a
 * time limit after which it is killed (a hung CLI fails the test instead of the run). Every run is
 * scanned: when the API key or the secret key of `env` appears on stdout or stderr, the run fails.
 */
export const runCli = (
  args: ReadonlyArray<string>,
  {
    env = cleanEnv(),
    stdin,
    timeoutMs = 20_000
  }: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.once("error", reject)
    child.once("close", (code) => {
      clearTimeout(timer)
      const leaked = leakedKeys(env, stdout + stderr)
      if (leaked.length > 0)
        reject(new Error(`ipos-auth ${args[0] ?? ""} printed the value of ${leaked.join(" and ")}`))
      else resolve({ code, stdout, stderr })
    })
    // The CLI may stop reading early (more than it accepts, or a command that reads nothing).
    child.stdin.on("error", () => {})
    if (stdin === undefined) child.stdin.end()
    else child.stdin.end(stdin)
  })
