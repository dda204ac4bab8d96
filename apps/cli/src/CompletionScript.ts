/**
 * `ipos-auth --completions <shell>`: the `effect/cli` script with an installation comment whose
 * commands work as printed. The framework's comment runs a bare `ipos-auth`, which set-up never
 * puts on PATH (pnpm links it in `node_modules/.bin`), and completions only apply to a command
 * the shell finds on PATH. So the comment names that directory: one line puts it on PATH for
 * every new shell, the next installs the script with the full path of the command.
 */
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"

/** A shell the completion script can be written for. */
export type Shell = "bash" | "zsh" | "fish" | "powershell"

const shells: Readonly<Record<string, Shell>> = {
  bash: "bash",
  sh: "bash",
  zsh: "zsh",
  fish: "fish",
  powershell: "powershell",
  pwsh: "powershell"
}

/**
 * The shell of a plain request for a completion script (`--completions bash`,
 * `--completions=zsh`); `undefined` for anything else, which `effect/cli` handles.
 *
 * @example
 * ```ts
 * completionsRequest(["--completions", "sh"]) // "bash"
 * completionsRequest(["token", "--help"])     // undefined
 * ```
 */
export const completionsRequest = (argv: ReadonlyArray<string>): Shell | undefined => {
  const [first, second] = argv
  if (argv.length === 2 && first === "--completions") return shells[second ?? ""]
  if (argv.length === 1 && first?.startsWith("--completions=")) return shells[first.slice("--completions=".length)]
  return undefined
}

/**
 * The directory of the `ipos-auth` link: the nearest `node_modules/.bin` holding one, at or above
 * `from` (the repository root's after set-up, a project's after `npm install`); `undefined` when
 * there is none (a global install, already on PATH).
 *
 * @example
 * ```ts
 * findBinDir("/home/me/repo/apps/cli/dist") // "/home/me/repo/node_modules/.bin"
 * ```
 */
export const findBinDir = (from: string, exists: (path: string) => boolean = existsSync): string | undefined => {
  for (let dir = from; ; dir = dirname(dir)) {
    const bin = join(dir, "node_modules", ".bin")
    if (exists(join(bin, "ipos-auth"))) return bin
    if (dirname(dir) === dir) return undefined
  }
}

// Quoting for a shell: text inside double quotes, a whole line inside single quotes.
const inDoubleQuotes = (text: string) => text.replace(/[\\"$`]/g, (c) => `\\${c}`)
const singleQuoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

const installation = (shell: Shell, bin: string): ReadonlyArray<string> => {
  const command = `"${inDoubleQuotes(join(bin, "ipos-auth"))}"`
  const onPath = (rc: string) => `echo ${singleQuoted(`export PATH="${inDoubleQuotes(bin)}:$PATH"`)} >> ${rc}`
  switch (shell) {
    case "bash":
      return [onPath("~/.bashrc"), `${command} --completions bash >> ~/.bashrc`, "then open a new shell"]
    case "zsh":
      return [
        onPath("~/.zshrc"),
        `mkdir -p ~/.zsh/completions && ${command} --completions zsh > ~/.zsh/completions/_ipos-auth`,
        "then add ~/.zsh/completions to your fpath (before compinit) and open a new shell"
      ]
    case "fish":
      return [
        `fish_add_path "${inDoubleQuotes(bin)}"`,
        `mkdir -p ~/.config/fish/completions && ${command} --completions fish > ~/.config/fish/completions/ipos-auth.fish`
      ]
    case "powershell":
      return [
        `add ${bin} to $env:PATH in your $PROFILE, then`,
        `& ${command} --completions powershell > ipos-auth-completion.ps1`,
        "and add this line to your $PROFILE (use the full path to the file):",
        ". <PATH>\\ipos-auth-completion.ps1"
      ]
  }
}

/**
 * `script` (as `effect/cli` writes it) with its installation comment replaced by commands that
 * work as printed, when `bin` (see {@link findBinDir}) is known; unchanged otherwise.
 *
 * @example
 * ```ts
 * withInstallation(script, "bash", "/home/me/repo/node_modules/.bin")
 * // …# Installation (completions apply to `ipos-auth` found on PATH):
 * //   #   echo 'export PATH="/home/me/repo/node_modules/.bin:$PATH"' >> ~/.bashrc
 * //   #   "/home/me/repo/node_modules/.bin/ipos-auth" --completions bash >> ~/.bashrc …
 * ```
 */
export const withInstallation = (script: string, shell: Shell, bin: string | undefined): string => {
  if (bin === undefined) return script
  const lines = script.split("\n")
  const start = lines.indexOf("# Installation:")
  const end = lines.indexOf("#", start)
  if (start === -1 || end === -1) return script
  const comment = [
    "# Installation (completions apply to `ipos-auth` found on PATH):",
    ...installation(shell, bin).map((line) => `#   ${line}`)
  ]
  return [...lines.slice(0, start), ...comment, ...lines.slice(end)].join("\n")
}
