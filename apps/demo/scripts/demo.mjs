// `pnpm demo`: starts a local sandbox on a free 127.0.0.1 port (allowing the page's origin by
// CORS) and the Vite dev server on another, then prints the page's URL. Ctrl-C stops both.
// IPOS_SANDBOX_* variables shape the sandbox as they do for `ipos-auth sandbox`.
import { createServer as createNetServer } from "node:net"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { sandboxOptionsFromEnv, startSandbox } from "@ipos/auth-sandbox"
import { createServer } from "vite"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const host = "127.0.0.1"

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once("error", reject)
    server.listen(0, host, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

// The page's port is chosen first: the sandbox must know the page's origin to allow it by CORS.
const pagePort = await freePort()
const origins = [`http://${host}:${pagePort}`, `http://localhost:${pagePort}`]
const fromEnv = sandboxOptionsFromEnv(process.env)
const sandbox = await startSandbox({ ...fromEnv, host, port: fromEnv.port ?? 0, corsOrigin: origins })
let vite
try {
  process.env.VITE_SANDBOX_URL = sandbox.url
  vite = await createServer({ root, server: { host, port: pagePort, strictPort: true }, clearScreen: false })
  await vite.listen()
} catch (error) {
  await sandbox.stop()
  throw error
}

// Bold only on a terminal and never with NO_COLOR (https://no-color.org), as in the walkthrough.
const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
const bold = (text) => (colour ? `\x1b[1m${text}\x1b[0m` : text)
console.log(`\n${bold("iPOSpays auth demo")}`)
console.log(`  sandbox  ${sandbox.url}  (demo credentials preselected in the page)`)
console.log(`  page     ${bold(`http://${host}:${pagePort}/`)}`)
console.log("\nOpen the page in a browser; Ctrl-C stops the page and the sandbox.")

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await Promise.allSettled([vite.close(), sandbox.stop()])
  process.exit(0)
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
