/**
 * The Redis of the tests: `IPOS_TEST_REDIS_URL` when set, else the machine's `127.0.0.1:6379`,
 * else a `redis-server` from PATH on a free port. None of them: a failure that says how to get one.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { randomUUID } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { connect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort } from "@ipos/testing"
import { createClient } from "redis"

const HOW_TO =
  "These tests need Redis: run a server on 127.0.0.1:6379 (e.g. `apt-get install redis-server` or `docker run -p 6379:6379 redis`), put `redis-server` on PATH, or set IPOS_TEST_REDIS_URL=redis://host:port"

const reachable = (port: number, host = "127.0.0.1"): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })

export const hasRedisServer = (): boolean => spawnSync("redis-server", ["--version"]).status === 0

/** A `redis-server` of the test's own on a free port, which can be stopped and started again. */
export interface OwnRedis {
  readonly url: string
  readonly stop: () => Promise<void>
  readonly start: () => Promise<void>
}

/** With `tls`, the server speaks TLS only (`rediss://`), with this certificate and key. */
export const startOwnRedis = async (tls?: { readonly cert: string; readonly key: string }): Promise<OwnRedis> => {
  if (!hasRedisServer()) {
    throw new Error(`redis-server is not on PATH; this test starts and stops its own server. ${HOW_TO}`)
  }
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    const listen =
      tls === undefined
        ? ["--port", String(port)]
        : ["--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.cert, "--tls-key-file", tls.key]
    const rest = tls === undefined ? [] : ["--tls-ca-cert-file", tls.cert, "--tls-auth-clients", "no"]
    child = spawn("redis-server", [...listen, ...rest, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore"
    })
    for (let i = 0; i < 100 && !(await reachable(port)); i++) await new Promise((r) => setTimeout(r, 50))
  }
  const stop = async () => {
    const c = child
    child = undefined
    if (c === undefined || c.exitCode !== null) return
    const exited = new Promise((r) => c.once("exit", r))
    c.kill("SIGKILL")
    await exited
  }
  await start()
  return { url: `${tls === undefined ? "redis" : "rediss"}://127.0.0.1:${port}`, stop, start }
}

let shared: Promise<{ url: string; stop: () => Promise<void> }> | undefined

/** The Redis for tests that do not stop it. */
export const testRedis = (): Promise<{ url: string; stop: () => Promise<void> }> => {
  shared ??= (async () => {
    const fromEnv = process.env.IPOS_TEST_REDIS_URL
    if (fromEnv !== undefined && fromEnv !== "") return { url: fromEnv, stop: async () => {} }
    if (await reachable(6379)) return { url: "redis://127.0.0.1:6379", stop: async () => {} }
    if (!hasRedisServer()) throw new Error(HOW_TO)
    const own = await startOwnRedis()
    return { url: own.url, stop: own.stop }
  })()
  return shared
}

/** A key prefix of this test alone. */
export const testPrefix = (): string => `ipos-test:${randomUUID()}`

/** A plain client to look at what the store wrote. */
export const rawClient = async (url: string) => {
  const client = createClient({ url })
  client.on("error", () => {})
  await client.connect()
  return client
}

/** Removes the keys of a prefix. */
export const clearPrefix = async (url: string, prefix: string): Promise<void> => {
  const client = await rawClient(url)
  try {
    const keys = await client.keys(`${prefix}:*`)
    if (keys.length > 0) await client.del(keys)
  } finally {
    client.destroy()
  }
}

/** A self-signed certificate for 127.0.0.1 in a temporary directory (needs `openssl` on PATH). */
export const selfSignedCertificate = (): { readonly cert: string; readonly key: string; readonly dir: string } => {
  const dir = mkdtempSync(join(tmpdir(), "ipos-redis-tls-"))
  const cert = join(dir, "cert.pem")
  const key = join(dir, "key.pem")
  const made = spawnSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "1",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost"
  ])
  if (made.status !== 0) {
    throw new Error("the rediss:// test makes a self-signed certificate with `openssl`: put openssl on PATH")
  }
  return { cert, key, dir }
}
