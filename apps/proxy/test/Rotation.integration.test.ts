/**
 * Credential rotation under a running proxy with traffic flowing: a plain rewrite of the key files
 * and a Kubernetes-style `..data` symlink swap are picked up by watching alone (the poll is set to a
 * minute), SIGHUP's path (`rotate()`) re-reads at once, and a set iPOSpays refuses keeps the old
 * token in use until a good set arrives. Every request succeeds; once a loop has seen a token of the
 * new set it never sees the old set's again.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Sandbox, startSandbox } from "@ipos/auth-sandbox"
import * as Result from "effect/Result"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningProxy, startProxy } from "../src/Proxy.js"
import {
  configFor,
  demo,
  eventually,
  logged,
  sample,
  send,
  startUpstream,
  type TestUpstream
} from "./support/harness.js"

const iso = { apiKey: "demo-iso-api-key", secretKey: "demo-iso-secret-key" }
type Keys = { apiKey: string; secretKey: string }

let sandbox: Sandbox
let upstream: TestUpstream
/** In front of the sandbox: which apiKey each minted token was minted with. */
let recorder: http.Server
let recorderUrl: string
const mintedWith = new Map<string, string>()
const dirs: Array<string> = []

beforeAll(async () => {
  sandbox = await startSandbox()
  upstream = await startUpstream((req, res) => res.end(String(req.headers.token ?? "")))
  recorder = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", async () => {
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === "string" && !["host", "content-length", "connection"].includes(k)) headers[k] = v
      const answer = await fetch(new URL(req.url ?? "/", sandbox.url), {
        method: req.method ?? "GET",
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {})
      })
      const text = await answer.text()
      for (const token of text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? [])
        mintedWith.set(token, String(req.headers.apikey ?? ""))
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" })
      res.end(text)
    })
  })
  await new Promise<void>((r) => recorder.listen(0, "127.0.0.1", r))
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`
})
afterAll(async () => {
  await upstream.close()
  recorder.closeAllConnections()
  await new Promise((r) => recorder.close(r))
  await sandbox.stop()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  for (const line of logged) {
    for (const key of [demo.apiKey, demo.secretKey, iso.apiKey, iso.secretKey]) expect(line).not.toContain(key)
    for (const token of mintedWith.keys()) expect(line).not.toContain(token)
  }
})

/** A secret directory as Kubernetes mounts it: `apiKey -> ..data/apiKey`, `..data -> ..<version>`. */
const mountedSecret = (keys: Keys) => {
  const dir = mkdtempSync(join(tmpdir(), "ipos-secret-"))
  dirs.push(dir)
  let version = 0
  const publish = (next: Keys) => {
    version += 1
    const data = join(dir, `..v${version}`)
    mkdirSync(data)
    writeFileSync(join(data, "apiKey"), `${next.apiKey}\n`)
    writeFileSync(join(data, "secretKey"), `${next.secretKey}\n`)
    // Atomic swap of the ..data link, as the kubelet does.
    symlinkSync(`..v${version}`, join(dir, "..data_tmp"))
    renameSync(join(dir, "..data_tmp"), join(dir, "..data"))
  }
  publish(keys)
  symlinkSync(join("..data", "apiKey"), join(dir, "apiKey"))
  symlinkSync(join("..data", "secretKey"), join(dir, "secretKey"))
  return { dir, publish }
}

/** Plain files rewritten in place. */
const plainSecret = (keys: Keys) => {
  const dir = mkdtempSync(join(tmpdir(), "ipos-secret-"))
  dirs.push(dir)
  const publish = (next: Keys) => {
    writeFileSync(join(dir, "apiKey"), `${next.apiKey}\n`)
    writeFileSync(join(dir, "secretKey"), `${next.secretKey}\n`)
  }
  publish(keys)
  return { dir, publish }
}

const startWithFiles = async (dir: string): Promise<RunningProxy & { log: Array<string> }> => {
  const log: Array<string> = []
  const started = await startProxy(configFor(["--upstream", upstream.url, "--auth-url", recorderUrl]), {
    env: { IPOS_API_KEY_FILE: join(dir, "apiKey"), IPOS_SECRET_KEY_FILE: join(dir, "secretKey") },
    // A minute: the changes below must be seen by watching, not by the poll.
    credentialsPollMs: 60_000,
    log: (line) => {
      log.push(line)
      logged.push(line)
    }
  })
  if (Result.isFailure(started)) throw new Error(started.failure)
  return { ...started.success, log }
}

/** `loops` clients sending one request after another until `stop()`; each keeps the tokens it saw. */
const traffic = (port: number, loops = 4) => {
  let running = true
  const statuses: Array<number> = []
  const sequences: Array<Array<string>> = Array.from({ length: loops }, () => [])
  const done = Promise.all(
    sequences.map(async (sequence) => {
      while (running) {
        const answer = await send(port, { path: "/pay" })
        statuses.push(answer.status)
        sequence.push(answer.text)
      }
    })
  )
  return {
    statuses,
    sequences,
    seen: () => sequences.flat().map((t) => mintedWith.get(t)),
    stop: async () => {
      running = false
      await done
    }
  }
}

/** Once a loop saw a token minted with `next`, it never sees one minted with `previous` again. */
const expectNoOldAfterNew = (sequences: ReadonlyArray<ReadonlyArray<string>>, previous: string, next: string) => {
  for (const sequence of sequences) {
    const owners = sequence.map((t) => mintedWith.get(t))
    const firstNew = owners.indexOf(next)
    expect(firstNew).toBeGreaterThanOrEqual(0)
    expect(owners.slice(firstNew).filter((o) => o === previous)).toEqual([])
    expect(owners.every((o) => o === previous || o === next)).toBe(true)
  }
}

describe("credential rotation", () => {
  for (const [name, secret] of [
    ["a plain rewrite", plainSecret],
    ["a ..data symlink swap", mountedSecret]
  ] as const) {
    it(`picks up ${name} by watching, with zero failed requests`, async () => {
      const { dir, publish } = secret(demo)
      const proxy = await startWithFiles(dir)
      await eventually(() => proxy.source.current() !== undefined)
      const load = traffic(proxy.port)
      await eventually(() => load.statuses.length >= 20)
      publish(iso)
      // Bounded time: the new set is in use within 20 s (the watch, not the one-minute poll).
      await eventually(() => load.seen().includes(iso.apiKey), 20_000)
      const atSwitch = load.statuses.length
      await eventually(() => load.statuses.length >= atSwitch + 20)
      await load.stop()
      expect(load.statuses.filter((s) => s !== 200)).toEqual([])
      expectNoOldAfterNew(load.sequences, demo.apiKey, iso.apiKey)
      expect(proxy.log.filter((l) => l.startsWith("credentials rotated: "))).toHaveLength(1)
      const metrics = await send(proxy.port, { path: "/_ipos/metrics" })
      expect(sample(metrics.text, 'ipos_proxy_credential_rotations_total{outcome="rotated"}')).toBe(1)
      await proxy.stop()
    }, 60_000)
  }

  it("keeps the old token while iPOSpays refuses the new set, then rotates once it is fixed", async () => {
    const { dir, publish } = mountedSecret(demo)
    const proxy = await startWithFiles(dir)
    await eventually(() => proxy.source.current() !== undefined)
    const load = traffic(proxy.port, 2)
    publish({ apiKey: iso.apiKey, secretKey: "wrong-secret" })
    // SIGHUP's path: re-read now.
    expect(await proxy.rotate()).toBe("refused")
    const refusals = proxy.log.filter((l) => l.includes(" refused (AUTH_ERR_004): keeping the current token"))
    expect(refusals).toHaveLength(1)
    const metrics = await send(proxy.port, { path: "/_ipos/metrics" })
    expect(sample(metrics.text, 'ipos_proxy_credential_rotations_total{outcome="refused"}')).toBe(1)
    await eventually(() => load.statuses.length >= 20)
    expect(new Set(load.seen())).toEqual(new Set([demo.apiKey]))
    publish(iso)
    // The retry with backoff (or the watch) picks up the fixed set by itself.
    await eventually(() => load.seen().includes(iso.apiKey), 30_000)
    const atSwitch = load.statuses.length
    await eventually(() => load.statuses.length >= atSwitch + 10)
    await load.stop()
    expect(load.statuses.filter((s) => s !== 200)).toEqual([])
    expectNoOldAfterNew(load.sequences, demo.apiKey, iso.apiKey)
    await proxy.stop()
  }, 60_000)

  it("refuses a variable set together with its _FILE twin", async () => {
    const started = await startProxy(configFor(["--upstream", upstream.url]), {
      env: { IPOS_API_KEY: "x", IPOS_API_KEY_FILE: "/nonexistent", IPOS_SECRET_KEY: "y" }
    })
    expect(started).toEqual(Result.fail("IPOS_API_KEY and IPOS_API_KEY_FILE are both set (use one)"))
  })
})
