/**
 * The fast path's argument reader. `ipos-auth token`, `refresh` and `decode` are what scripts run
 * in loops, and loading `effect/cli` costs more than the whole request: so the entry reads their
 * plain forms here and runs the shared command handlers directly. Anything else — help, version,
 * completions, an unknown or repeated flag, a missing value — returns `undefined` and goes to the
 * `effect/cli` program, which stays the parser of record. Both paths run the same handlers, and
 * `test/FastArgs.test.ts` proves they agree.
 */

/** Options of `ipos-auth token`, as typed (validated later by the handler). */
export interface TokenArgs {
  readonly command: "token"
  readonly scope: string | undefined
  readonly expiry: string | undefined
  readonly env: string | undefined
  readonly authUrl: string | undefined
  readonly json: boolean
}

/** Options of `ipos-auth refresh`. */
export interface RefreshArgs {
  readonly command: "refresh"
  readonly token: string | undefined
  readonly env: string | undefined
  readonly authUrl: string | undefined
  readonly json: boolean
}

/** Options of `ipos-auth decode`. */
export interface DecodeArgs {
  readonly command: "decode"
  readonly jwt: string | undefined
  readonly json: boolean
}

/** A command line the fast path can run. */
export type FastArgs = TokenArgs | RefreshArgs | DecodeArgs

const valueFlags = {
  token: { "--scope": "scope", "--expiry": "expiry", "--env": "env", "--auth-url": "authUrl" },
  refresh: { "--token": "token", "--env": "env", "--auth-url": "authUrl" },
  decode: {}
} as const satisfies Record<FastArgs["command"], Record<string, string>>

type Command = keyof typeof valueFlags
const isCommand = (word: string | undefined): word is Command =>
  word === "token" || word === "refresh" || word === "decode"

/**
 * Reads `argv` (without `node` and the script) when it is a plain use of a hot command.
 *
 * @example
 * ```ts
 * readFastArgs(["token", "--scope", "Recurring", "--json"])
 * // { command: "token", scope: "Recurring", expiry: undefined, env: undefined, authUrl: undefined, json: true }
 * readFastArgs(["token", "--help"]) // undefined: effect/cli prints the help
 * ```
 */
export const readFastArgs = (argv: ReadonlyArray<string>): FastArgs | undefined => {
  const [command, ...rest] = argv
  if (!isCommand(command)) return undefined
  const flags: Record<string, string> = {}
  const known: Record<string, string> = valueFlags[command]
  const positionals: Array<string> = []
  let json = false
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string
    if (word === "--json") {
      if (json) return undefined
      json = true
      continue
    }
    if (!word.startsWith("-") || word === "-") {
      positionals.push(word)
      continue
    }
    const eq = word.indexOf("=")
    const name = eq === -1 ? word : word.slice(0, eq)
    const key = known[name]
    if (key === undefined || key in flags) return undefined
    const value = eq === -1 ? rest[++i] : word.slice(eq + 1)
    if (value === undefined || value.startsWith("-")) return undefined
    flags[key] = value
  }
  switch (command) {
    case "token":
      return positionals.length > 0
        ? undefined
        : { command, scope: flags.scope, expiry: flags.expiry, env: flags.env, authUrl: flags.authUrl, json }
    case "refresh":
      // The token as a flag or as the one argument, not both (effect/cli reports that).
      return positionals.length > 1 || (positionals.length === 1 && flags.token !== undefined)
        ? undefined
        : { command, token: flags.token ?? positionals[0], env: flags.env, authUrl: flags.authUrl, json }
    case "decode":
      return positionals.length > 1 ? undefined : { command, jwt: positionals[0], json }
  }
}
