/**
 * A TLS front for a local http server, with a throwaway self-signed certificate for 127.0.0.1
 * made at test time (nothing committed): lets tests run the CLI against an `https://` URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { request } from "node:http"
import { createServer } from "node:https"
import { tmpdir } from "node:os"
import { join } from "node:path"
import selfsigned from "selfsigned"

export interface TlsProxy {
  readonly url: string
  /** PEM of the certificate, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string
  readonly stop: () => Promise<void>
}

export const startTlsProxy = async (upstream: string): Promise<TlsProxy> => {
  const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    notAfterDate: new Date(Date.now() + 86_400_000),
    keySize: 2048,
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }]
  })
  const dir = mkdtempSync(join(tmpdir(), "ipos-auth-tls-"))
  const caFile = join(dir, "ca.pem")
  writeFileSync(caFile, pems.cert)
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const forward = request(`${upstream}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on("error", () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    stop: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
