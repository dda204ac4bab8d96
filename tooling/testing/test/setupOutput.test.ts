/**
 * Set-up's progress lines (tooling/scripts/say.sh): bold on a terminal, plain text in logs and
 * CI output, and plain whenever NO_COLOR is set.
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const sayScript = fileURLToPath(new URL("../../scripts/say.sh", import.meta.url))
const program = `source '${sayScript}'; say "installing dependencies"`
const withoutNoColor = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "NO_COLOR"))

/** Runs `say` with stdout on a pipe. */
const onPipe = (env: NodeJS.ProcessEnv) => execFileSync("bash", ["-c", program], { env, encoding: "utf8" })

/** Runs `say` with stdout on a pseudo-terminal (util-linux `script`), returning what it wrote. */
const onTerminal = (env: NodeJS.ProcessEnv) =>
  execFileSync("script", ["-qec", `bash -c ${JSON.stringify(program)}`, "/dev/null"], {
    env: { ...env, TERM: "xterm" },
    encoding: "utf8"
  })

describe("say (set-up's progress line)", () => {
  it("writes plain text when stdout is not a terminal", () => {
    expect(onPipe(withoutNoColor)).toBe("[setup] installing dependencies\n")
  })

  it("is bold on a terminal", () => {
    expect(onTerminal(withoutNoColor)).toBe("\u001b[1m[setup]\u001b[0m installing dependencies\r\n")
  })

  it("is plain on a terminal when NO_COLOR is set", () => {
    expect(onTerminal({ ...withoutNoColor, NO_COLOR: "1" })).toBe("[setup] installing dependencies\r\n")
  })
})
