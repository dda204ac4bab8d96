/** Reading a token from stdin, for `refresh` and `decode` without a token argument. */
import type { Readable } from "node:stream"
import type { UsageFailure } from "./Outcome.js"

/**
 * The most stdin may hold: a JWT is a few KiB, and reading without a bound let 400 MB piped in by
 * mistake grow the process past 1 GB.
 */
export const stdinLimitBytes = 64 * 1024

/**
 * Reads all of `input` as UTF-8 and trims it; `undefined` when `input` is a terminal (nobody is
 * piping anything, and waiting would look like a hang); a usage failure (exit 2) as soon as more
 * than `limitBytes` arrive, without reading the rest.
 *
 * @example
 * ```ts
 * const token = await readStdin(process.stdin) // echo "$TOKEN" | ipos-auth decode
 * ```
 */
export const readStdin = async (
  input: Readable & { readonly isTTY?: boolean },
  limitBytes: number = stdinLimitBytes
): Promise<string | undefined | UsageFailure> => {
  if (input.isTTY === true) return undefined
  const chunks: Array<Buffer> = []
  let size = 0
  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer)
    size += bytes.byteLength
    // Leaving the loop destroys the stream: nothing more is read.
    if (size > limitBytes) return tooLarge(limitBytes)
    chunks.push(bytes)
  }
  return Buffer.concat(chunks).toString("utf8").trim()
}

// A literal, not `usage()`: this module is on decode's path, which must not load the core.
const tooLarge = (limitBytes: number): UsageFailure => ({
  _tag: "UsageFailure",
  message: `stdin holds more than ${limitBytes / 1024} KiB: a token is a few KiB; pipe only the token`
})
