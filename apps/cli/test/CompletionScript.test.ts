import { describe, expect, it } from "vitest"
import { completionsRequest, findBinDir, withInstallation } from "../src/CompletionScript.js"

// The completion script's installation comment: commands that work as printed, where set-up left
// `ipos-auth` (in node_modules/.bin, not on PATH).
describe("completionsRequest", () => {
  it.each([
    [["--completions", "bash"], "bash"],
    [["--completions", "sh"], "bash"],
    [["--completions=zsh"], "zsh"],
    [["--completions", "fish"], "fish"],
    [["--completions", "pwsh"], "powershell"],
    [["--completions", "tcsh"], undefined],
    [["--completions"], undefined],
    [["token", "--completions", "bash"], undefined],
    [["--help"], undefined]
  ])("%j asks for %s", (argv, want) => {
    expect(completionsRequest(argv)).toBe(want)
  })
})

describe("findBinDir", () => {
  const links =
    (...paths: Array<string>) =>
    (path: string) =>
      paths.includes(path)
  it.each([
    [
      "the repository root's, from the CLI's dist",
      "/r/apps/cli/dist",
      links("/r/node_modules/.bin/ipos-auth"),
      "/r/node_modules/.bin"
    ],
    [
      "a project's, from the installed package",
      "/p/node_modules/@ipos/auth-cli/dist",
      links("/p/node_modules/.bin/ipos-auth"),
      "/p/node_modules/.bin"
    ],
    [
      "the nearest",
      "/a/b/dist",
      links("/a/b/node_modules/.bin/ipos-auth", "/a/node_modules/.bin/ipos-auth"),
      "/a/b/node_modules/.bin"
    ],
    ["none for a global install", "/usr/lib/node_modules/@ipos/auth-cli/dist", links(), undefined]
  ])("finds %s", (_, from, exists, want) => {
    expect(findBinDir(from, exists)).toBe(want)
  })
})

describe("withInstallation", () => {
  const script = (shell: string) =>
    [
      "###-begin-ipos-auth-completions-###",
      "#",
      `# Static completion script for ${shell}`,
      "#",
      "# Installation:",
      "#   ipos-auth --completions …",
      "#",
      "",
      "body"
    ].join("\n")
  const head = ["###-begin-ipos-auth-completions-###", "#"]

  it("names the link's directory for PATH and runs the command by its full path (bash)", () => {
    expect(withInstallation(script("Bash"), "bash", "/r/node_modules/.bin").split("\n")).toEqual([
      ...head,
      "# Static completion script for Bash",
      "#",
      "# Installation (completions apply to `ipos-auth` found on PATH):",
      `#   echo 'export PATH="/r/node_modules/.bin:$PATH"' >> ~/.bashrc`,
      `#   "/r/node_modules/.bin/ipos-auth" --completions bash >> ~/.bashrc`,
      "#   then open a new shell",
      "#",
      "",
      "body"
    ])
  })

  it.each([
    [
      "zsh",
      `#   echo 'export PATH="/r/.bin:$PATH"' >> ~/.zshrc`,
      `#   mkdir -p ~/.zsh/completions && "/r/.bin/ipos-auth" --completions zsh > ~/.zsh/completions/_ipos-auth`
    ],
    [
      "fish",
      `#   fish_add_path "/r/.bin"`,
      `#   mkdir -p ~/.config/fish/completions && "/r/.bin/ipos-auth" --completions fish > ~/.config/fish/completions/ipos-auth.fish`
    ],
    [
      "powershell",
      "#   add /r/.bin to $env:PATH in your $PROFILE, then",
      `#   & "/r/.bin/ipos-auth" --completions powershell > ipos-auth-completion.ps1`
    ]
  ] as const)("does the same for %s", (shell, path, install) => {
    const lines = withInstallation(script(shell), shell, "/r/.bin").split("\n")
    expect(lines.slice(5, 7)).toEqual([path, install])
  })

  it("quotes a directory with spaces, quotes and dollars for the shell", () => {
    const lines = withInstallation(script("Bash"), "bash", `/it's a "dir"/$x`).split("\n")
    expect(lines.slice(5, 7)).toEqual([
      `#   echo 'export PATH="/it'\\''s a \\"dir\\"/\\$x:$PATH"' >> ~/.bashrc`,
      `#   "/it's a \\"dir\\"/\\$x/ipos-auth" --completions bash >> ~/.bashrc`
    ])
  })

  it("leaves the script as it is when there is no link to name (a global install)", () => {
    expect(withInstallation(script("Bash"), "bash", undefined)).toBe(script("Bash"))
  })
})
