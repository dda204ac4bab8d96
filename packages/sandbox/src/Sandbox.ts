/**
 * `startSandbox`: a local twin of the iPOSpays Authentication Token API on a real HTTP port,
 * issuing real RS256 tokens, answering every documented `AUTH_ERR`, with faults on demand, a
 * downstream echo API, CORS and counters. The programmatic API the CLI and other packages' tests use.
 */

import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Counters, type CountersSnapshot } from "./Counters.js"
import type { SandboxCredential } from "./Credentials.js"
import { FaultState, type FaultsPatch, type FaultsSnapshot } from "./Faults.js"
import { baseUrl } from "./internal/baseUrl.js"
import type { Context } from "./internal/Context.js"
import { resolveOptions } from "./internal/resolveOptions.js"
import { createSandboxServer } from "./internal/server.js"
import { TokenRegistry } from "./internal/TokenRegistry.js"
import { generateSigningKey, type Jwks } from "./Jwt.js"
import type { SandboxOptions } from "./Options.js"
import { sandboxLogLine } from "./SandboxLog.js"

/** A running sandbox. */
export interface Sandbox {
  /** Base URL to give a client, e.g. `http://127.0.0.1:49152` (a wildcard bind is reported as loopback). */
  readonly url: string
  /** The interface it is bound to, as configured. */
  readonly host: string
  /** The port it listens on (the OS's choice when started with port 0). */
  readonly port: number
  /** The credentials it accepts: the demo table unless overridden. Fake by design; print them freely. */
  readonly credentials: ReadonlyArray<SandboxCredential>
  /** The public key its tokens verify with (SPKI, PEM). Also served at `GET /_sandbox/public-key.pem`. */
  readonly publicKeyPem: string
  /** The same key as a JWKS. Also served at `GET /.well-known/jwks.json`. */
  readonly jwks: Jwks
  /** The HTTP status of `AuthError` answers (200 or a 4xx). */
  readonly errorStatus: number
  /** The active faults. */
  readonly faults: () => FaultsSnapshot
  /** Merges a patch into the active faults (as `POST /_sandbox/faults`); throws `SandboxConfigError` when invalid. */
  readonly setFaults: (patch: FaultsPatch) => FaultsSnapshot
  /** Switches every fault off (as `DELETE /_sandbox/faults`). */
  readonly clearFaults: () => FaultsSnapshot
  /** The counters (as `GET /_sandbox/counters`). */
  readonly counters: () => CountersSnapshot
  /** Zeroes the counters (as `DELETE /_sandbox/counters`). */
  readonly resetCounters: () => void
  /** Revokes one issued token by `uniqueId` (every generation of it), or all of them; returns how many were newly revoked. */
  readonly revoke: (uniqueId?: string) => number
  /** Back to the start-up state: faults from the options, zero counters, issued tokens forgotten (same key and credentials). */
  readonly reset: () => void
  /** Closes the server and every open connection; resolves when closed. Safe to call twice. */
  readonly stop: () => Promise<void>
}

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once("error", onError)
    server.listen(port, host, () => {
      server.off("error", onError)
      resolve()
    })
  })

/**
 * Starts a sandbox and resolves once it listens. Throws `SandboxConfigError` for invalid options
 * (nothing is started then) and the listen error (e.g. `EADDRINUSE`) if the port is taken.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ tokenLifetimeSeconds: 5 })
 * const merchant = sandbox.credentials.find((c) => c.level === "merchant")!
 * const response = await fetch(`${sandbox.url}/v1/authenticate-token`, {
 *   method: "POST",
 *   headers: { apiKey: merchant.apiKey, secretKey: merchant.secretKey, scope: "PaymentTokenization" }
 * })
 * const { token } = await response.json()
 * await sandbox.stop()
 * ```
 */
export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const settings = resolveOptions(options)
  const key = await generateSigningKey()
  const faults = new FaultState(settings.now)
  faults.apply(settings.initialFaults)
  const counters = new Counters()
  const tokens = new TokenRegistry()
  const stopping = new AbortController()

  const sleep = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (stopping.signal.aborted) return resolve(false)
      const onAbort = () => {
        clearTimeout(timer)
        resolve(false)
      }
      const timer = setTimeout(() => {
        stopping.signal.removeEventListener("abort", onAbort)
        resolve(true)
      }, ms)
      stopping.signal.addEventListener("abort", onAbort, { once: true })
    })

  const say = (event: string, message: string, fields: Readonly<Record<string, string>> = {}) =>
    options.log?.write(sandboxLogLine(options.log.format, "info", event, message, fields))
  const reset = (): void => {
    say("reset", "reset to the start-up state")
    faults.clear()
    faults.apply(settings.initialFaults)
    counters.reset()
    tokens.clear()
  }

  const ctx: Context = { settings, key, faults, counters, tokens, sleep, reset }
  const server = createSandboxServer(ctx)
  await listen(server, settings.port, settings.host)
  const { port } = server.address() as AddressInfo
  say("listening", `listening on ${baseUrl(settings.host, port)}`, { url: baseUrl(settings.host, port) })

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      stopping.abort()
      server.close(() => {
        say("stopped", "stopped")
        resolve()
      })
      server.closeAllConnections()
    })
    return stopped
  }

  return {
    url: baseUrl(settings.host, port),
    host: settings.host,
    port,
    credentials: settings.credentials,
    publicKeyPem: key.publicKeyPem,
    jwks: key.jwks,
    errorStatus: settings.errorStatus,
    faults: () => faults.snapshot(),
    setFaults: (patch) => faults.apply(patch),
    clearFaults: () => faults.clear(),
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    revoke: (uniqueId) => tokens.revoke(uniqueId),
    reset,
    stop
  }
}
