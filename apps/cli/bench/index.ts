/**
 * Start-up benchmark of the `ipos-auth` binary, all in one run against a local sandbox:
 * wall time of `ipos-auth token` and `ipos-auth decode` next to the floor each is judged against —
 * a minimal `node:http` script and a minimal `fetch` script doing the same request, and bare
 * `node -e ''`. Prints medians, p90s and the ratios. Not a test: the figures are for reading.
 *
 *   pnpm --filter @ipos/auth-cli bench        (after `pnpm build`)
 */
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const runs = Number(process.env.BENCH_RUNS ?? 40)
const warmups = 2
const bin = join(dirname(fileURLToPath(import.meta.url)), "../bin/ipos-auth.cjs")

// The sandbox runs in its own process: the measurements below block this one.
const sandboxProcess = spawn(process.execPath, [bin, "sandbox", "--port", "0"], {
  stdio: ["ignore", "pipe", "inherit"]
})
const banner = await new Promise<string>((resolve, reject) => {
  let out = ""
  sandboxProcess.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8")
    if (out.includes("ipos-auth token --json")) resolve(out)
  })
  sandboxProcess.once("exit", (code) => reject(new Error(`the sandbox exited (${code}): ${out}`)))
})
const exported = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(banner)?.[1] ?? ""
const work = mkdtempSync(join(tmpdir(), "ipos-auth-bench-"))
try {
  const env = {
    ...process.env,
    IPOS_API_KEY: exported("IPOS_API_KEY"),
    IPOS_SECRET_KEY: exported("IPOS_SECRET_KEY"),
    IPOS_AUTH_URL: exported("IPOS_AUTH_URL"),
    NODE_OPTIONS: ""
  }
  const request = `{ method: "POST", headers: { apiKey: process.env.IPOS_API_KEY, secretKey: process.env.IPOS_SECRET_KEY, scope: "PaymentTokenization" } }`
  writeFileSync(
    join(work, "http.mjs"),
    `import { request } from "node:http"
const req = request(process.env.IPOS_AUTH_URL + "/v1/authenticate-token", ${request}, (res) => {
  let body = ""
  res.setEncoding("utf8").on("data", (d) => (body += d)).on("end", () => process.stdout.write(JSON.parse(body).token + "\\n"))
})
req.end()
`
  )
  writeFileSync(
    join(work, "fetch.mjs"),
    `const res = await fetch(process.env.IPOS_AUTH_URL + "/v1/authenticate-token", ${request})
process.stdout.write((await res.json()).token + "\\n")
`
  )
  const token = spawnSync(process.execPath, [bin, "token"], { env, encoding: "utf8" })
  if (token.status !== 0) throw new Error(`ipos-auth token failed: ${token.stderr}`)
  const jwt = token.stdout.trim()

  const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
    ["node -e ''", ["-e", ""]],
    ["node:http script", [join(work, "http.mjs")]],
    ["fetch script", [join(work, "fetch.mjs")]],
    ["ipos-auth token", [bin, "token"]],
    ["ipos-auth decode", [bin, "decode", jwt]]
  ]
  const measure = (args: ReadonlyArray<string>, count: number): Array<number> => {
    const times: Array<number> = []
    for (let i = 0; i < warmups + count; i++) {
      const start = process.hrtime.bigint()
      const result = spawnSync(process.execPath, args, { env, encoding: "utf8" })
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`)
      if (i >= warmups) times.push(ms)
    }
    return times
  }
  const quantile = (sorted: ReadonlyArray<number>, q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  // Interleave the cases round by round so drift in machine load hits each of them alike.
  const samples = new Map<string, Array<number>>(cases.map(([name]) => [name, []]))
  const rounds = 4
  for (let round = 0; round < rounds; round++) {
    for (const [name, args] of cases) samples.get(name)?.push(...measure(args, Math.ceil(runs / rounds)))
  }
  const median = new Map<string, number>()
  console.log(
    `ipos-auth start-up, ${process.version}, ${rounds}×${Math.ceil(runs / rounds)} runs per case (+warm-ups)\n`
  )
  console.log(`${"case".padEnd(20)}${"median ms".padStart(11)}${"p90 ms".padStart(9)}`)
  for (const [name] of cases) {
    const sorted = (samples.get(name) ?? []).sort((a, b) => a - b)
    median.set(name, quantile(sorted, 0.5))
    console.log(
      `${name.padEnd(20)}${quantile(sorted, 0.5).toFixed(1).padStart(11)}${quantile(sorted, 0.9).toFixed(1).padStart(9)}`
    )
  }
  const ratio = (a: string, b: string) => ((median.get(a) ?? Number.NaN) / (median.get(b) ?? Number.NaN)).toFixed(2)
  console.log("")
  console.log(`ipos-auth token  / node:http script = ${ratio("ipos-auth token", "node:http script")}  (goal <= 1.3)`)
  console.log(`ipos-auth decode / node -e ''       = ${ratio("ipos-auth decode", "node -e ''")}  (goal <= 1.2)`)
  console.log(`fetch script     / node:http script = ${ratio("fetch script", "node:http script")}`)
  console.log(`ipos-auth token  / fetch script     = ${ratio("ipos-auth token", "fetch script")}`)
} finally {
  rmSync(work, { recursive: true, force: true })
  sandboxProcess.kill("SIGTERM")
}
