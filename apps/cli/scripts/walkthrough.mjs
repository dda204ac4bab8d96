// The Quick start's main job: start the local sandbox, then mint, decode and refresh a token and
// show one error with the real `ipos-auth` binary, printing each command and what it printed.
// The sandbox keeps running afterwards for the user to try commands (Ctrl-C stops it);
// `--exit` stops it at the end instead (tests, CI).
import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const bin = join(dirname(fileURLToPath(import.meta.url)), "../bin/ipos-auth.cjs")
const keepRunning = !process.argv.includes("--exit")
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)
const dim = (text) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text)
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

show(
  2,
  "Decode it (claims and times; the signature is not verified)",
  'ipos-auth decode "$TOKEN"',
  expect(await run(["decode", token]), 0)
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
if (keepRunning && !failed) {
  console.log(`\n${bold("The sandbox keeps running. In another shell:")}`)
  console.log(`   export IPOS_AUTH_URL=${cli.IPOS_AUTH_URL}`)
  console.log(`   export IPOS_API_KEY=${cli.IPOS_API_KEY}`)
  console.log(`   export IPOS_SECRET_KEY=${cli.IPOS_SECRET_KEY}`)
  console.log("   pnpm exec ipos-auth token --scope Recurring --json")
  console.log("   pnpm exec ipos-auth --help")
  console.log(
    dim(
      "   (other demo credentials, faults and counters: pnpm exec ipos-auth sandbox --help, packages/sandbox/README.md)"
    )
  )
  console.log(`\n${bold("Ctrl-C stops the sandbox.")}`)
  const stop = () => sandbox.kill("SIGTERM")
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  await new Promise((resolve) => sandbox.once("exit", resolve))
} else {
  sandbox.kill("SIGTERM")
  await new Promise((resolve) => sandbox.once("exit", resolve))
  console.log("\nDone.")
}
