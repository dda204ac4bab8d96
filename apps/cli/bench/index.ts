/**
 * Start-up benchmark of the `ipos-auth` binary, all in one run against a local sandbox:
 * wall time of `ipos-auth token` and `ipos-auth decode` next to the floor each is judged against —
 * a minimal `node:http` script and a minimal `fetch` script doing the same request, and bare
 * `node -e ''`. Not a test: the figures are for reading.
 *
 *   pnpm --filter @ipos/auth-cli bench        (after `pnpm build`; BENCH_ROUNDS=40 by default)
 *
 * Start-up times of a few tens of milliseconds are at the mercy of whatever else the machine does,
 * so noise is controlled, and shown:
 *
 * - warm-up: every case runs a few times first (page cache, CPU frequency), unmeasured;
 * - interleaving: each round runs every case once, in a freshly shuffled order (seeded, so runs
 *   are comparable), so a burst of load or a slow drift hits all cases alike, not one of them;
 * - pairing: each ratio is computed within a round (token and the http script measured seconds
 *   apart), and the median of those per-round ratios is the figure; the ratio of the medians is
 *   printed next to it as a cross-check;
 * - spread: p25–p75 of every case and of every ratio, the relative spread of `node -e ''` (the
 *   pure noise floor), and the load average before and after; the run is flagged noisy when the
 *   floor spreads by more than 10 % or the load exceeds the cores.
 */
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, loadavg, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const rounds = Number(process.env.BENCH_ROUNDS ?? 40)
const warmups = 3
const bin = join(dirname(fileURLToPath(import.meta.url)), "../bin/ipos-auth.cjs")

// The sandbox runs in its own process: the measurements below block this one.
const sandboxProcess = spawn(process.execPath, [bin, "sandbox", "--port", "0"], {
  stdio: ["ignore", "pipe", "inherit"]
})
const exported = (banner: string, name: string) => new RegExp(`export ${name}=(\\S+)`).exec(banner)?.[1]
const names = ["IPOS_API_KEY", "IPOS_SECRET_KEY", "IPOS_AUTH_URL"] as const
const banner = await new Promise<string>((resolve, reject) => {
  let out = ""
  sandboxProcess.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8")
    if (names.every((name) => exported(out, name) !== undefined)) resolve(out)
  })
  sandboxProcess.once("exit", (code) => reject(new Error(`the sandbox exited (${code}): ${out}`)))
})

/** A small seeded PRNG (mulberry32): shuffled orders that are the same from run to run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const shuffled = <A>(items: ReadonlyArray<A>, next: () => number): Array<A> => {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j] as A, out[i] as A]
  }
  return out
}
const quantile = (values: ReadonlyArray<number>, q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = sorted[Math.floor(at)] ?? Number.NaN
  const high = sorted[Math.ceil(at)] ?? Number.NaN
  return low + (high - low) * (at - Math.floor(at))
}

const work = mkdtempSync(join(tmpdir(), "ipos-auth-bench-"))
try {
  const env = {
    ...process.env,
    IPOS_API_KEY: exported(banner, "IPOS_API_KEY"),
    IPOS_SECRET_KEY: exported(banner, "IPOS_SECRET_KEY"),
    IPOS_AUTH_URL: exported(banner, "IPOS_AUTH_URL"),
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
  const jwt = token.stdout

  // decode reads the token on stdin, the documented way (an argument would show in `ps`).
  const cases: ReadonlyArray<{ name: string; args: ReadonlyArray<string>; input?: string }> = [
    { name: "node -e ''", args: ["-e", ""] },
    { name: "node:http script", args: [join(work, "http.mjs")] },
    { name: "fetch script", args: [join(work, "fetch.mjs")] },
    { name: "ipos-auth token", args: [bin, "token"] },
    { name: "ipos-auth decode", args: [bin, "decode"], input: jwt }
  ]
  const time = ({ args, input }: (typeof cases)[number]): number => {
    const start = process.hrtime.bigint()
    const result = spawnSync(process.execPath, args, { env, encoding: "utf8", input: input ?? "" })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`)
    return ms
  }

  const loadBefore = loadavg()[0] ?? 0
  for (let i = 0; i < warmups; i++) for (const c of cases) time(c)
  const samples = new Map<string, Array<number>>(cases.map(({ name }) => [name, []]))
  const next = random(20261130)
  for (let round = 0; round < rounds; round++) {
    for (const c of shuffled(cases, next)) samples.get(c.name)?.push(time(c))
  }
  const loadAfter = loadavg()[0] ?? 0

  const of = (name: string) => samples.get(name) ?? []
  console.log(
    `ipos-auth start-up, ${process.version}, ${rounds} interleaved rounds (shuffled order) after ${warmups} warm-ups per case\n`
  )
  console.log(`${"case".padEnd(20)}${"median ms".padStart(11)}${"p25–p75 ms".padStart(16)}${"p90 ms".padStart(9)}`)
  for (const { name } of cases) {
    const s = of(name)
    const spread = `${quantile(s, 0.25).toFixed(1)}–${quantile(s, 0.75).toFixed(1)}`
    console.log(
      `${name.padEnd(20)}${quantile(s, 0.5).toFixed(1).padStart(11)}${spread.padStart(16)}${quantile(s, 0.9).toFixed(1).padStart(9)}`
    )
  }
  const ratio = (a: string, b: string, goal?: number) => {
    const paired = of(a).map((ms, i) => ms / (of(b)[i] ?? Number.NaN))
    const ofMedians = quantile(of(a), 0.5) / quantile(of(b), 0.5)
    const label = `${a.padEnd(16)} / ${b.padEnd(16)}`
    const figures = `${quantile(paired, 0.5).toFixed(2)}  (p25–p75 ${quantile(paired, 0.25).toFixed(2)}–${quantile(paired, 0.75).toFixed(2)}; ratio of medians ${ofMedians.toFixed(2)})`
    console.log(`${label} = ${figures}${goal === undefined ? "" : `  goal <= ${goal}`}`)
  }
  console.log("\nper-round ratios, median:")
  ratio("ipos-auth token", "node:http script", 1.3)
  ratio("ipos-auth decode", "node -e ''", 1.2)
  ratio("fetch script", "node:http script")
  ratio("ipos-auth token", "fetch script")
  const floor = of("node -e ''")
  const floorSpread = (quantile(floor, 0.75) - quantile(floor, 0.25)) / quantile(floor, 0.5)
  const cores = availableParallelism()
  const noisy = floorSpread > 0.1 || Math.max(loadBefore, loadAfter) > cores
  console.log(
    `\nnoise: node -e '' spreads ${(floorSpread * 100).toFixed(1)} % (p25–p75 / median); load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${cores} cores${noisy ? "  NOISY: re-run on a quiet machine" : ""}`
  )
} finally {
  rmSync(work, { recursive: true, force: true })
  sandboxProcess.kill("SIGTERM")
}
