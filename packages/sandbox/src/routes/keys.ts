/**
 * The public key, served so that tests and demos can verify what the sandbox signed (the real
 * service publishes none): `GET /.well-known/jwks.json` and `GET /_sandbox/public-key.pem`.
 */
import type { Context } from "../internal/Context.js"
import { byMethod, json, type Reply, raw, type SandboxRequest } from "../internal/http.js"

/** Answers `GET /.well-known/jwks.json` with `{ keys: [ { kty, n, e, alg, use, kid } ] }`. */
export const jwks = (request: SandboxRequest, ctx: Context): Reply | Promise<Reply> =>
  byMethod(request, { GET: () => json(200, ctx.key.jwks) })

/** Answers `GET /_sandbox/public-key.pem` with the SPKI public key in PEM. */
export const publicKeyPem = (request: SandboxRequest, ctx: Context): Reply | Promise<Reply> =>
  byMethod(request, { GET: () => raw(200, "application/x-pem-file", ctx.key.publicKeyPem) })
