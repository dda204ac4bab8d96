/**
 * `pnpm check:consumer`: the publishable packages as users get them. Builds and packs each with
 * `pnpm pack`, lints the tarballs (publint, attw), installs them with plain npm into a project in
 * the OS's temporary directory, and there imports every entry, type-checks a consumer file under
 * `node16` and `bundler` resolution, gets a token from the installed sandbox with
 * `createTokenManager`, and runs the installed commands. Prints a line per step and a summary;
 * exits 1 naming the steps that failed. `--keep` leaves the temporary project for a look.
 */
import { readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { printedToken, printsVersion, sandboxLine } from "./Checks.js"
import {
  binCommand,
  buildCommand,
  cliEnv,
  consumerEnv,
  nodeCommand,
  npmInstallCommand,
  packCommand,
  tscCommand
} from "./Commands.js"
import { makeWorkDir, removeWorkDir, type Tarball, writeProject } from "./ConsumerProject.js"
import { attwNote, lintSteps, tools } from "./Lint.js"
import { engineWarnings, otherWarnings } from "./NpmOutput.js"
import { publishablePackages } from "./Packages.js"
import { exitCode, failureOf, formatBytes, summary } from "./Report.js"
import { type Finished, type Running, run, start } from "./Run.js"
import { makeSteps, StepFailed } from "./Steps.js"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const packageDir = fileURLToPath(new URL("..", import.meta.url))
const node = process.execPath
const keep = process.argv.includes("--keep")
const print = (line: string) => console.log(line)

/** The process's stdout when it exited 0; a `StepFailed` naming its exit and output otherwise. */
const succeeded = (finished: Finished): string => {
  if (finished.code !== 0) throw new StepFailed(failureOf(finished))
  return finished.stdout
}

const started = performance.now()
const steps = makeSteps(print)
const notes: Array<string> = []
const packages = publishablePackages(root)
const names = packages.map((p) => p.name)
print(`[consumer] publishable packages: ${packages.map((p) => `${p.name}@${p.version}`).join(", ")}`)
const env = consumerEnv(process.env, dirname(node))
const linters = tools(packageDir)
const typesNode = (
  JSON.parse(readFileSync(join(packageDir, "node_modules/@types/node/package.json"), "utf8")) as { version: string }
).version
const work = makeWorkDir()
const cleanUp = () => (keep ? print(`[consumer] kept ${work.root}`) : removeWorkDir(work.root))
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanUp()
    process.exit(130)
  })
}

const consumerSteps = async (tarballs: ReadonlyArray<Tarball>) => {
  const entries = packages.flatMap((p) => p.entries)
  writeProject(work.project, tarballs, entries, typesNode)
  const installed = await steps.step("npm install (tarballs, outside the workspace)", async () => {
    // Ten minutes: a cold cache on a slow network downloads about 46 MB.
    const finished = await run(npmInstallCommand(work.project, join(root, ".cache/npm-consumer"), env), 600_000)
    const engines = engineWarnings(finished.stderr)
    if (engines.length > 0) {
      notes.push(
        `npm EBADENGINE on Node ${process.version} (left as is): ${engines.map((w) => `${w.pkg} wants ${w.required}`).join(", ")}`
      )
    }
    notes.push(...otherWarnings(finished.stderr).map((w) => `npm warn ${w}`))
    return /added \d+ packages?/.exec(succeeded(finished))?.[0] ?? ""
  })
  if (installed === undefined) {
    for (const name of ["imports", "tsc", "--version", "sandbox and ipos-auth token"])
      steps.skip(name, "npm install failed")
    return
  }
  await steps.step("import every entry from ESM", async () => {
    const finished = await run(nodeCommand(node, "imports.mjs", [], work.project))
    // Only the entries that failed: the others' "ok" lines would bury them.
    const failures = finished.stdout.split("\n").filter((line) => line.startsWith("FAIL"))
    succeeded({ ...finished, stdout: failures.join("\n") })
    return `${entries.length} entries of ${packages.length} packages`
  })
  for (const resolution of ["node16", "bundler"] as const) {
    await steps.step(`tsc, moduleResolution ${resolution}`, async () => {
      succeeded(await run(tscCommand(node, linters.tsc, work.project, `tsconfig.${resolution}.json`)))
      return "consumer.ts, entries.ts"
    })
  }
  for (const pkg of packages) {
    for (const bin of pkg.bins) {
      await steps.step(`${bin} --version`, async () => {
        const stdout = succeeded(await run(binCommand(work.project, bin, ["--version"], env)))
        if (!printsVersion(stdout, bin, pkg.version)) {
          throw new StepFailed(`printed ${JSON.stringify(stdout.trim())}, the package's version is ${pkg.version}`)
        }
        return stdout.trim()
      })
    }
  }
  // The sandbox program keeps running after its first line, for `ipos-auth token`.
  const sandbox: { running?: Running } = {}
  await steps.step("sandbox on 127.0.0.1:0, token by createTokenManager", async () => {
    sandbox.running = await start(nodeCommand(node, "sandbox-token.mjs", [], work.project))
    return ""
  })
  const running = sandbox.running
  if (running === undefined) {
    steps.skip("ipos-auth token", "the sandbox did not start")
    return
  }
  await steps.step("ipos-auth token (against that sandbox)", async () => {
    const where = sandboxLine(running.firstLine)
    if (where === undefined) throw new StepFailed(`the sandbox program printed ${running.firstLine}`)
    const ipos = { IPOS_API_KEY: where.apiKey, IPOS_SECRET_KEY: where.secretKey, IPOS_AUTH_URL: where.url }
    const stdout = succeeded(
      await run(binCommand(work.project, "ipos-auth", ["token"], cliEnv(process.env, dirname(node), ipos)))
    )
    const token = printedToken(stdout)
    if (token === undefined) throw new StepFailed(`stdout is not one token and a newline (${stdout.length} characters)`)
    const echo = await fetch(`${where.url}/api/v3/iposTransact`, { headers: { token } })
    if (echo.status !== 200) throw new StepFailed(`the sandbox's echo API refused the token (${echo.status})`)
    return "the sandbox accepts the token"
  })
  await steps.step("sandbox program stops cleanly", async () => {
    succeeded(await running.stop())
    return ""
  })
}

try {
  const built = await steps.step("build (turbo)", async () => {
    succeeded(await run(buildCommand(root, names)))
    return ""
  })
  const tarballs: Array<Tarball> = []
  if (built === undefined) {
    steps.skip("pack, lint, install", "the build failed")
  } else {
    for (const pkg of packages) {
      await steps.step(`pack ${pkg.name}`, async () => {
        const packed = JSON.parse(succeeded(await run(packCommand(pkg.dir, work.tarballs)))) as { filename: string }
        const filename = packed.filename
        const bytes = statSync(filename).size
        tarballs.push({ name: pkg.name, version: pkg.version, file: filename, bytes })
        return formatBytes(bytes)
      })
    }
    notes.push(`tarballs: ${tarballs.map((t) => `${t.name} ${formatBytes(t.bytes)}`).join(", ")}`)
    for (const tarball of tarballs) {
      for (const lint of lintSteps(node, linters, tarball)) {
        await steps.step(lint.name, async () => {
          const stdout = succeeded(await run(lint.command))
          return lint.name.startsWith("attw") ? attwNote(stdout) : ""
        })
      }
    }
    if (tarballs.length === packages.length) await consumerSteps(tarballs)
    else steps.skip("install and use", "a package did not pack")
  }
} finally {
  cleanUp()
}
print(summary(steps.results, notes, performance.now() - started))
process.exitCode = exitCode(steps.results)
