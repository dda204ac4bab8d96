/**
 * The `ipos-auth-proxy` command: parses flags and variables, starts the proxy, prints
 * `listening on http://HOST:PORT`, on SIGHUP re-reads the credentials, and on SIGTERM/SIGINT
 * drains and exits 0. Exit 2 for usage or
 * invalid settings, 1 when it cannot listen.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import * as Result from "effect/Result"
import { helpText, parseCommand } from "./Config.js"
import { formatLine, type LogEntry, type LogFormat } from "./Log.js"
import { startProxy } from "./Proxy.js"

const version = (): string => {
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8")
  const parsed: unknown = JSON.parse(text)
  return typeof parsed === "object" && parsed !== null && "version" in parsed ? String(parsed.version) : "unknown"
}

const say = (line: string) => process.stderr.write(`ipos-auth-proxy: ${line}\n`)

/** State changes once the format is known: an ISO timestamp and a level on every line. */
const logTo =
  (format: LogFormat) =>
  (message: string, entry?: LogEntry): void =>
    void process.stderr.write(`${formatLine(format, message, entry)}\n`)

/**
 * Runs the command; resolves with the exit code once the proxy has stopped (or at once on error).
 *
 * @example
 * ```ts
 * // bin/ipos-auth-proxy.js (main.ts is the bin's entry, not a package export)
 * import { main } from "../dist/main.js"
 * process.exitCode = await main(process.argv.slice(2), process.env)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const main = async (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>
): Promise<number> => {
  const command = parseCommand(argv, env)
  if (Result.isFailure(command)) {
    say(command.failure.message)
    return 2
  }
  if (command.success._tag === "Help") {
    process.stdout.write(helpText)
    return 0
  }
  if (command.success._tag === "Version") {
    process.stdout.write(`${version()}\n`)
    return 0
  }
  const config = command.success.config
  const log = logTo(config.logFormat)
  const started = await startProxy(config, { env, log })
  if (Result.isFailure(started)) {
    say(started.failure)
    return started.failure.startsWith("cannot listen") ? 1 : 2
  }
  const proxy = started.success
  // The handlers come before the line that says the proxy is up: whoever reads that line may signal
  // at once, and a signal before them would kill the process without draining.
  const stopped = new Promise<number>((resolve) => {
    const onHangup = () => void proxy.rotate()
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", onSignal)
      process.off("SIGINT", onSignal)
      process.off("SIGHUP", onHangup)
      log(`${signal}: draining (up to ${config.drainMs} ms)`, {
        level: "info",
        event: "draining",
        fields: { signal, drainMs: config.drainMs }
      })
      void proxy.stop().then(() => {
        log("stopped", { level: "info", event: "stopped" })
        resolve(0)
      })
    }
    process.on("SIGTERM", onSignal)
    process.on("SIGINT", onSignal)
    process.on("SIGHUP", onHangup)
  })
  process.stdout.write(`listening on ${proxy.url}\n`)
  log(`listening on ${proxy.url}, forwarding to ${config.upstream.origin} with header ${config.tokenHeader}`, {
    level: "info",
    event: "listening",
    fields: { url: proxy.url, upstream: config.upstream.origin, tokenHeader: config.tokenHeader }
  })
  return stopped
}
