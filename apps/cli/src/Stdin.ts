/** Reading a token from stdin, for `refresh` and `decode` without a token argument. */
import type { Readable } from "node:stream"

/**
 * Reads all of `input` as UTF-8 and trims it; `undefined` when `input` is a terminal (nobody is
 * piping anything, and waiting would look like a hang).
 *
 * @example
 * ```ts
 * const token = await readStdin(process.stdin) // echo "$TOKEN" | ipos-auth decode
 * ```
 */
export const readStdin = async (input: Readable & { readonly isTTY?: boolean }): Promise<string | undefined> => {
  if (input.isTTY === true) return undefined
  const chunks: Array<Buffer> = []
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString("utf8").trim()
}
