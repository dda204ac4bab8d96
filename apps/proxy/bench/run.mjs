// `pnpm --filter @ipos/auth-proxy bench`: ipos-auth-proxy on the proxybench harness (wrk, a
// trivial Node upstream, nginx with 1 worker as the baseline), holding a real token from a local
// sandbox. Two runs: throughput at 50 connections and added latency at 1 connection. Prints the
// harness's tables and the goals' ratios. Figures, never assertions.
//
// PROXYBENCH_DIR   the harness (default: ../shared/proxybench beside the repository); read-only,
//                  copied to a temp folder first.
// BENCH_VARIANTS   baselines besides the proxy (default "direct nginx"; the Node baselines
//                  "http-proxy undici fastify undici-stream" need `npm ci` in the copy, done here).
// ROUNDS, DURATION passed to the harness (defaults 2 and 10 s).
// BENCH_BASELINE_BIN another build's `bin/ipos-auth-proxy.js` (e.g. main's, built in a temp copy),
//                  run in the same rounds as the variant `ipos-base`: an A/B on a busy machine.
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { startSandbox } from "@ipos/auth-sandbox"

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, "..", "..", "..")
const harness = resolve(process.env.PROXYBENCH_DIR ?? resolve(repoRoot, "..", "shared", "proxybench"))
const fail = (message) => {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}
if (!existsSync(join(harness, "run.sh")))
  fail(`the proxybench harness is not at ${harness}: set PROXYBENCH_DIR to its folder`)
for (const tool of ["wrk", "nginx", "curl", "setsid"]) {
  if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
    fail(`${tool} is missing: apt-get update && apt-get install -y wrk nginx-light curl`)
}
const bin = resolve(here, "..", "bin", "ipos-auth-proxy.js")
if (!existsSync(resolve(here, "..", "dist", "main.js"))) fail("the proxy is not built: run `pnpm build` first")

const baseline = process.env.BENCH_BASELINE_BIN
const variants = `${process.env.BENCH_VARIANTS ?? "direct nginx"}${baseline === undefined ? "" : " ipos-base"}`
const work = mkdtempSync(join(tmpdir(), "ipos-proxybench-"))
cpSync(harness, work, { recursive: true })
const proxyCmd = (path) =>
  `exec node ${JSON.stringify(path)} --upstream "$UPSTREAM_URL" --listen "127.0.0.1:$PROXY_PORT"`
if (baseline !== undefined) {
  // The harness runs one PROXY_CMD: the copy learns a second variant, the baseline build.
  const script = join(work, "run.sh")
  const text = readFileSync(script, "utf8")
  const hook = `    "$PROXY_NAME")`
  if (!text.includes(hook)) fail("this harness's run.sh has no variant hook for BENCH_BASELINE_BIN")
  writeFileSync(script, text.replace(hook, `    ipos-base) CMD=(bash -c "$PROXY_CMD_BASE") ;;\n${hook}`))
}
if (/http-proxy|undici|fastify/.test(variants)) execFileSync("npm", ["ci", "--silent"], { cwd: work, stdio: "inherit" })

const sandbox = await startSandbox()
const merchant = sandbox.credentials.find((c) => c.level === "merchant")
const jwt = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g
// Asynchronous: the sandbox in this process must keep answering the proxy while the harness runs.
const harnessRun = (options) =>
  new Promise((done) => {
    const child = spawn("bash", [join(work, "run.sh")], options)
    let stdout = ""
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    // The harness's progress lines quote the token it saw upstream: never print one.
    let partial = ""
    child.stderr.on("data", (chunk) => {
      const lines = (partial + chunk).split("\n")
      partial = lines.pop() ?? ""
      for (const line of lines) process.stderr.write(`${line.replace(jwt, "<the proxy's token>")}\n`)
    })
    child.on("close", (status) => done({ status, stdout }))
  })
const run = async (name, extra) => {
  const results = join(work, `results-${name}`)
  const result = await harnessRun({
    cwd: work,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...extra,
      RESULTS: results,
      VARIANTS: variants,
      PROXY_NAME: "ipos",
      PROXY_CMD: proxyCmd(bin),
      ...(baseline === undefined ? {} : { PROXY_CMD_BASE: proxyCmd(resolve(baseline)) }),
      IPOS_AUTH_URL: sandbox.url,
      IPOS_API_KEY: merchant.apiKey,
      IPOS_SECRET_KEY: merchant.secretKey
    }
  })
  process.stdout.write(String(result.stdout).replace(jwt, "<the proxy's token>"))
  if (result.status !== 0) fail(`the harness failed (${name})`)
  const rows = readFileSync(join(results, "results.tsv"), "utf8").trim().split("\n").slice(1)
  const byVariant = new Map()
  for (const row of rows) {
    const [, , variant, rps, p50, , , , , , cpu] = row.split("\t")
    const list = byVariant.get(variant) ?? []
    list.push({ rps: Number(rps), p50: Number(p50), cpu: Number(cpu) })
    byVariant.set(variant, list)
  }
  const mean = (variant, key) => {
    const list = (byVariant.get(variant) ?? []).map((r) => r[key]).filter(Number.isFinite)
    return list.length === 0 ? Number.NaN : list.reduce((a, b) => a + b, 0) / list.length
  }
  return { mean }
}

try {
  process.stdout.write(`\n## throughput, 50 connections (node ${process.version})\n\n`)
  const wide = await run("c50", {})
  process.stdout.write("\n## added latency, 1 connection\n\n")
  const narrow = await run("c1", { CONNS: "1", THREADS: "1", DURATION: process.env.DURATION ?? "5" })
  const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a")
  process.stdout.write(
    [
      "",
      "## goals",
      "",
      `throughput at 50 connections: ${f(wide.mean("ipos", "rps"), 0)} req/s = ${f(wide.mean("ipos", "rps") / wide.mean("nginx", "rps"))}× nginx (goal ≥ 0.6×)`,
      `added latency at 1 connection: ${f(narrow.mean("ipos", "p50") - narrow.mean("direct", "p50"), 3)} ms p50 over direct (goal ≤ +0.2 ms; nginx ${f(narrow.mean("nginx", "p50") - narrow.mean("direct", "p50"), 3)} ms)`,
      `CPU per 1,000 requests at 50 connections: ipos ${f(wide.mean("ipos", "cpu"), 1)} ms, nginx ${f(wide.mean("nginx", "cpu"), 1)} ms`,
      ...(baseline === undefined
        ? []
        : [
            `baseline build (ipos-base), same run: ${f(wide.mean("ipos-base", "rps") / wide.mean("nginx", "rps"))}× nginx, ${f(wide.mean("ipos-base", "cpu"), 1)} ms CPU per 1,000 requests, ${f(narrow.mean("ipos-base", "p50") - narrow.mean("direct", "p50"), 3)} ms p50 over direct at 1 connection`
          ]),
      ""
    ].join("\n")
  )
} finally {
  await sandbox.stop()
  rmSync(work, { recursive: true, force: true })
}
