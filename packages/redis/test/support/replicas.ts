/** Runs replicas (`replica.ts`) as real child processes and collects their reports. */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const script = fileURLToPath(new URL("./replica.ts", import.meta.url))

export interface Report {
  readonly calls: number
  readonly errors: ReadonlyArray<string>
  readonly errorCount: number
  readonly tokens: number
  readonly expired: number
  readonly events: Readonly<Record<string, number>>
  readonly ms: number
  /** The last token, when asked for (`REPLICA_PRINT_TOKEN=1`). */
  readonly token?: string | undefined
}

export interface Replica {
  readonly child: ChildProcess
  /** Resolves when the replica is connected and about to call. */
  readonly ready: Promise<void>
  /** Its final report (rejects when it dies without one). */
  readonly report: Promise<Report>
}

export const startReplica = (env: Record<string, string>): Replica => {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  let markReady: () => void = () => {}
  const ready = new Promise<void>((r) => {
    markReady = r
  })
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8")
    if (out.includes('{"ready":true}')) markReady()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8")
  })
  const report = new Promise<Report>((resolve, reject) => {
    child.once("exit", (code, signal) => {
      const last = out.trim().split("\n").at(-1) ?? ""
      if (code === 0 && last.startsWith('{"calls"')) resolve(JSON.parse(last) as Report)
      else reject(new Error(`replica exited (${code ?? signal}) without a report: ${err.slice(-2000)}`))
    })
  })
  return { child, ready, report }
}
