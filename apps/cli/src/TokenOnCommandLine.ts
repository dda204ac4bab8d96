/**
 * The warning for a token typed on the command line (`refresh --token JWT`, `refresh JWT`,
 * `decode JWT`): every user of the machine can read a process's arguments (`ps`,
 * `/proc/<pid>/cmdline`), and iPOSpays refreshes even expired tokens, so a token seen there can be
 * renewed by anyone. Both forms keep working (the interface contract has them); stdin is the way
 * the help and the README show.
 */
import type { FastArgs } from "./FastArgs.js"

/**
 * The stderr line for `args`, or `undefined` when no token is on the command line.
 *
 * @example
 * ```ts
 * tokenOnCommandLineWarning({ command: "decode", jwt: "eyJ…", json: false })
 * // "ipos-auth: warning: a token on the command line is visible to every user of this machine (ps, /proc/*\/cmdline): pipe it on stdin instead, e.g. echo \"$TOKEN\" | ipos-auth decode"
 * tokenOnCommandLineWarning({ command: "decode", jwt: undefined, json: false }) // undefined
 * ```
 */
export const tokenOnCommandLineWarning = (args: FastArgs): string | undefined => {
  const given = args.command === "refresh" ? args.token : args.command === "decode" ? args.jwt : undefined
  // `-` is decode's explicit "read stdin"; an empty value is refused later as no token.
  if (given === undefined || given === "-" || given === "") return undefined
  return `ipos-auth: warning: a token on the command line is visible to every user of this machine (ps, /proc/*/cmdline): pipe it on stdin instead, e.g. echo "$TOKEN" | ipos-auth ${args.command}`
}
