/**
 * Reads a request body with a cap. Bodies a little over the cap are drained (read and dropped) so
 * the client can read the `413` before the connection closes; bodies far over it are not read at all.
 */
import type { IncomingMessage } from "node:http"

/** What reading found. */
export type Body =
  | { readonly _tag: "Ok"; readonly bytes: Buffer }
  /** Over the cap; `drained` says whether the rest was read, i.e. whether the connection is still in sync. */
  | { readonly _tag: "TooLarge"; readonly drained: boolean }
  /** The client went away or sent a broken body. */
  | { readonly _tag: "Aborted" }

/** Reads at most `maxBytes`; drains up to `drainBytes` before giving up on the connection. */
export const readBody = (request: IncomingMessage, maxBytes: number, drainBytes: number): Promise<Body> =>
  new Promise((resolve) => {
    const declared = Number(request.headers["content-length"] ?? Number.NaN)
    if (declared > drainBytes) {
      resolve({ _tag: "TooLarge", drained: false })
      return
    }
    const chunks: Array<Buffer> = []
    let size = 0
    let done = false
    const finish = (body: Body) => {
      if (done) return
      done = true
      request.off("data", onData)
      request.off("end", onEnd)
      request.off("error", onError)
      request.off("close", onClose)
      resolve(body)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) chunks.push(chunk)
      else if (size > drainBytes) {
        request.pause()
        finish({ _tag: "TooLarge", drained: false })
      }
    }
    const whole = (): Body =>
      size > maxBytes ? { _tag: "TooLarge", drained: true } : { _tag: "Ok", bytes: Buffer.concat(chunks) }
    const onEnd = () => finish(whole())
    const onError = () => finish({ _tag: "Aborted" })
    const onClose = () => finish(request.complete ? whole() : { _tag: "Aborted" })
    request.on("data", onData)
    request.on("end", onEnd)
    request.on("error", onError)
    request.on("close", onClose)
  })
