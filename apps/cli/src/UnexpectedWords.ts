/**
 * Usage errors about words the CLI did not expect, told by position and length instead of by
 * value: a stray word is often a secret pasted in the wrong place (`ipos-auth token "$KEY"`), and
 * the error would print it to a terminal, a CI log or a bug report. Positions count the words
 * after `ipos-auth`, from 1.
 */

// Flags that take no value: the word after one of these is not that flag's value.
const booleanFlags = new Set(["--json", "--help", "-h", "--version", "-v", "--wizard"])

const isFlagValue = (argv: ReadonlyArray<string>, index: number): boolean => {
  const previous = argv[index - 1] ?? ""
  return previous.startsWith("-") && !previous.includes("=") && !booleanFlags.has(previous)
}

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many)

/**
 * Where each of `values` sits in `argv` (1-based; `undefined` when not found), taking each
 * occurrence once, in order, and skipping flag values.
 *
 * @example
 * ```ts
 * positionsOf(["secret"], ["token", "--scope", "secret", "secret"]) // [4]
 * ```
 */
export const positionsOf = (
  values: ReadonlyArray<string>,
  argv: ReadonlyArray<string>
): ReadonlyArray<number | undefined> => {
  const used = new Set<number>()
  return values.map((value) => {
    const index = argv.findIndex((word, i) => i > 0 && word === value && !used.has(i) && !isFlagValue(argv, i))
    if (index === -1) return undefined
    used.add(index)
    return index + 1
  })
}

const describe = (value: string, position: number | undefined): string =>
  `${position === undefined ? "" : `position ${position}, `}${value.length} ${plural(value.length, "character", "characters")}`

/**
 * The message for positional arguments a command does not take.
 *
 * @example
 * ```ts
 * unexpectedArguments(["MySecretValue456"], ["token", "MySecretValue456"])
 * // "Unexpected positional argument (position 2, 16 characters; not shown, it could be a secret)"
 * ```
 */
export const unexpectedArguments = (values: ReadonlyArray<string>, argv: ReadonlyArray<string>): string => {
  const positions = positionsOf(values, argv)
  const parts = values.map((value, i) => describe(value, positions[i]))
  return values.length === 1
    ? `Unexpected positional argument (${parts[0]}; not shown, it could be a secret)`
    : `Unexpected positional arguments (${parts.join("; ")}; not shown, they could be secrets)`
}

// What a mistyped command looks like: shown, since echoing a typo helps and a secret rarely looks like this.
const commandLike = /^[a-z][a-z0-9-]{0,23}$/

/**
 * The message for an unknown subcommand: the word itself when it looks like a mistyped command,
 * its position and length otherwise.
 *
 * @example
 * ```ts
 * unknownSubcommand("tokn", ["tokn"], ["ipos-auth"])       // 'Unknown subcommand "tokn" for "ipos-auth"'
 * unknownSubcommand("S3cr3t!", ["S3cr3t!"], ["ipos-auth"]) // 'Unknown subcommand (position 1, 7 characters; not shown, it could be a secret) for "ipos-auth"'
 * ```
 */
export const unknownSubcommand = (
  subcommand: string,
  argv: ReadonlyArray<string>,
  parent: ReadonlyArray<string>,
  suggestions: ReadonlyArray<string> = []
): string => {
  const shown = commandLike.test(subcommand)
    ? `"${subcommand}"`
    : `(${describe(subcommand, argv.indexOf(subcommand) + 1 || undefined)}; not shown, it could be a secret)`
  const didYouMean = suggestions.length > 0 ? `\n\n  Did you mean this?\n    ${suggestions.join("\n    ")}` : ""
  return `Unknown subcommand ${shown} for "${parent.join(" ")}"${didYouMean}`
}
