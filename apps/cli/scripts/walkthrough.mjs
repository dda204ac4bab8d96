// The Quick start's main job: start the local sandbox, then mint, decode and refresh a token and
// show one error with the real `ipos-auth` binary, printing each command and what it printed.
// The sandbox keeps running afterwards for the user to try commands (Ctrl-C stops it);
// `--exit` stops it at the end instead (tests, CI).
import { spawn, spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { delimiter, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const bin = join(here, "../bin/ipos-auth.cjs")
const keepRunning = !process.argv.includes("--exit")
const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
const bold = (text) => (colour ? `\x1b[1m${text}\x1b[0m` : text)
const dim = (text) => (colour ? `\x1b[2m${text}\x1b[0m` : text)
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("IPOS_")))

const run = (args, extraEnv = {}, stdin) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...env, ...extraEnv },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d))
    child.once("error", reject)
    child.once("close", (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin ?? "")
  })

const shorten = (text) => text.replace(/(eyJ[A-Za-z0-9_-]{12})[A-Za-z0-9_.-]{40,}/g, (_, head) => `${head}… (JWT)`)
const show = (n, title, command, result) => {
  console.log(`\n${bold(`${n}. ${title}`)}`)
  console.log(`   $ ${command}`)
  for (const line of shorten(result.stdout).trimEnd().split("\n")) if (line) console.log(`   ${line}`)
  for (const line of result.stderr.trimEnd().split("\n")) if (line) console.log(`   ${dim(line)}`)
  console.log(dim(`   (exit ${result.code})`))
}

console.log(bold("Starting the local iPOSpays auth sandbox (ipos-auth sandbox --port 0)…"))
const sandbox = spawn(process.execPath, [bin, "sandbox", "--port", "0"], { env, stdio: ["ignore", "pipe", "inherit"] })
const banner = await new Promise((resolve, reject) => {
  let out = ""
  sandbox.stdout.setEncoding("utf8").on("data", (d) => {
    out += d
    if (out.includes("Ctrl-C stops it")) resolve(out)
  })
  sandbox.once("exit", (code) => reject(new Error(`the sandbox exited with ${code}`)))
})
const exported = (name) => new RegExp(`export ${name}=(\\S+)`).exec(banner)?.[1] ?? ""
const cli = {
  IPOS_AUTH_URL: exported("IPOS_AUTH_URL"),
  IPOS_API_KEY: exported("IPOS_API_KEY"),
  IPOS_SECRET_KEY: exported("IPOS_SECRET_KEY")
}
console.log(`   listening on ${cli.IPOS_AUTH_URL}; demo merchant credentials in IPOS_API_KEY / IPOS_SECRET_KEY`)

let failed = false
const expect = (result, code) => {
  if (result.code !== code) failed = true
  return result
}

const minted = expect(await run(["token", "--json"], cli), 0)
show(1, "Mint a token", "ipos-auth token --json", minted)
const token = minted.code === 0 ? JSON.parse(minted.stdout).token : ""

// Tokens go through stdin, never argv: an argument is visible to every user of the machine (ps).
show(
  2,
  "Decode it (claims and times; the signature is not verified)",
  'echo "$TOKEN" | ipos-auth decode',
  expect(await run(["decode"], {}, token), 0)
)
// iat/exp are whole seconds: a refresh within the same second would issue the very same token.
await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20))
show(
  3,
  "Refresh it (same uniqueId, new iat/exp)",
  'echo "$TOKEN" | ipos-auth refresh --json',
  expect(await run(["refresh", "--json"], cli, token), 0)
)
show(
  4,
  "A wrong secret key: AUTH_ERR_004, exit 3, and no secret in the output",
  "IPOS_SECRET_KEY=wrong ipos-auth token",
  expect(await run(["token"], { ...cli, IPOS_SECRET_KEY: "wrong" }), 3)
)
show(
  5,
  "Checked locally, nothing sent: an expiry outside 30…1440",
  "ipos-auth token --expiry 10",
  expect(await run(["token", "--expiry", "10"], cli), 2)
)

if (failed) {
  console.error("\nThe walkthrough did not go as expected (see the exit codes above).")
  process.exitCode = 1
}
// The pnpm to type in another shell, decided as set-up decides which one to use: the user's own pnpm
// (what PATH finds once the node_modules/.bin entries that npm scripts put first are left out) when
// it is the workspace's version, otherwise set-up's private copy, reached as node_modules/.bin/pnpm.
const pnpmCommand = () => {
  const want = JSON.parse(readFileSync(join(here, "../../../package.json"), "utf8")).packageManager.split("@")[1]
  const userPath = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !/[\\/]node_modules[\\/]\.bin$|[\\/]node-gyp-bin$/.test(dir))
    .join(delimiter)
  const found = spawnSync("pnpm", ["--version"], { env: { ...env, PATH: userPath }, encoding: "utf8" })
  return found.status === 0 && found.stdout.trim() === want ? "pnpm" : "node_modules/.bin/pnpm"
}

if (keepRunning && !failed) {
  const pnpm = pnpmCommand()
  console.log(`\n${bold("The sandbox keeps running. In another shell, from the repository root:")}`)
  console.log(`   export IPOS_AUTH_URL=${cli.IPOS_AUTH_URL}`)
  console.log(`   export IPOS_API_KEY=${cli.IPOS_API_KEY}`)
  console.log(`   export IPOS_SECRET_KEY=${cli.IPOS_SECRET_KEY}`)
  console.log(`   ${pnpm} exec ipos-auth token --scope Recurring --json`)
  console.log(`   ${pnpm} exec ipos-auth --help`)
  console.log(
    dim(
      `   (other demo credentials, faults and counters: ${pnpm} exec ipos-auth sandbox --help, packages/sandbox/README.md)`
    )
  )
  // Handlers first: whoever reads the last line may signal at once.
  const stop = () => sandbox.kill("SIGTERM")
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  console.log(`\n${bold("Ctrl-C stops the sandbox.")}`)
  await new Promise((resolve) => sandbox.once("exit", resolve))
} else {
  sandbox.kill("SIGTERM")
  await new Promise((resolve) => sandbox.once("exit", resolve))
  console.log("\nDone.")
}
