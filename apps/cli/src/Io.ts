/** Where a command reads and prints: the process's streams, or a test's buffers. */
import type { UsageFailure } from "./Outcome.js"
import { readStdin } from "./Stdin.js"

/** Output and input of one command run. */
export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** The trimmed text of stdin; `undefined` on a terminal; a usage failure when it is too large. */
  readonly readStdin: () => Promise<string | undefined | UsageFailure>
}

/** The process's own streams. */
export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readStdin(process.stdin)
}
