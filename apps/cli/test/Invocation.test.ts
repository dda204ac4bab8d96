import { delimiter, join } from "node:path"
import { describe, expect, it } from "vitest"
import { invocation, type Launch } from "../src/Invocation.js"

// A made-up machine: the repository at /repo, the user's PATH /usr/local/bin:/usr/bin.
const repo = join("/", "repo")
const userPath = [join("/", "usr", "local", "bin"), join("/", "usr", "bin")]
const repoBin = join(repo, "node_modules", ".bin")
const pnpmAgent = "pnpm/10.34.8 npm/? node/v20.19.0 linux x64"

const launch = (
  env: Record<string, string>,
  executables: ReadonlyArray<string>,
  path: ReadonlyArray<string> = userPath,
  cwd = repo
): Launch => ({
  env: { PATH: path.join(delimiter), ...env },
  script: join(repo, "node_modules", "@ipos", "auth-cli", "bin", "ipos-auth.cjs"),
  cwd,
  isExecutable: (file) => executables.includes(file)
})

const linked = join(repoBin, "ipos-auth")

describe("invocation: an ipos-auth command that works as shown", () => {
  it.each<[string, Launch, string]>([
    [
      "pnpm exec, the global pnpm",
      launch({ npm_command: "exec", npm_config_user_agent: pnpmAgent }, [linked], [".", repoBin, ...userPath]),
      "pnpm exec ipos-auth"
    ],
    [
      "pnpm exec through set-up's private pnpm (node_modules/.bin/pnpm)",
      launch(
        { npm_command: "exec", npm_config_user_agent: pnpmAgent },
        [linked, join(repoBin, "pnpm")],
        [join(".", "node_modules", ".bin"), repoBin, ...userPath]
      ),
      `${join("node_modules", ".bin", "pnpm")} exec ipos-auth`
    ],
    [
      "npx from the repository",
      launch(
        {
          npm_command: "exec",
          npm_config_user_agent: "npm/11.6.0 node/v20.19.0 linux x64",
          npm_lifecycle_event: "npx"
        },
        [linked],
        [repoBin, ...userPath]
      ),
      "npx ipos-auth"
    ],
    ["on the user's PATH (installed or linked globally)", launch({}, [join(userPath[0]!, "ipos-auth")]), "ipos-auth"],
    [
      "only on the PATH an npm script added, run from the repository",
      launch({ npm_lifecycle_event: "start", npm_command: "start" }, [linked], [repoBin, ...userPath]),
      join("node_modules", ".bin", "ipos-auth")
    ],
    ["the linked bin, run from the repository", launch({}, [linked]), join("node_modules", ".bin", "ipos-auth")],
    [
      "the script itself, from elsewhere",
      launch({}, [linked], userPath, join("/", "tmp")),
      `node ${join(repo, "node_modules", "@ipos", "auth-cli", "bin", "ipos-auth.cjs")}`
    ],
    [
      "a path with a space, quoted for the shell",
      { ...launch({}, []), script: join(repo, "my tools", "ipos-auth.cjs") },
      `node '${join("my tools", "ipos-auth.cjs")}'`
    ]
  ])("%s", (_, given, want) => {
    expect(invocation(given)).toBe(want)
  })
})
