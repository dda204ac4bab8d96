/**
 * A strict, incremental HTTP/1.1 response parser for the upstream side: bytes in (in any split),
 * status, raw headers and body slices out, with the message framing decided the way RFC 9112 §6.3
 * says and every ambiguous or malformed framing refused rather than guessed.
 *
 * It keeps header names as sent (the proxy forwards them so), skips interim `1xx` answers, reads
 * no body for `HEAD`, `204` and `304`, and reads `Content-Length`, chunked and read-until-close
 * bodies. Chunk trailers are read and dropped. Body slices are views of the input chunks (no copy).
 *
 * @since 0.3.0
 */

/**
 * What the parser reports, called synchronously from {@link ResponseParser.feed}.
 *
 * @since 0.3.0
 * @category models
 */
export interface ResponseEvents {
  /** The final (non-1xx) head; `rawHeaders` alternates name, value (names as sent). */
  onHead(status: number, statusText: string, rawHeaders: Array<string>): void
  /** A slice of the body (never empty). */
  onBody(chunk: Buffer): void
  /** The message is complete; `keepAlive`: the connection may carry another exchange. */
  onEnd(keepAlive: boolean): void
}

/**
 * Why a response was refused; `reason` is fixed text (no bytes of the response in it).
 *
 * @example
 * ```ts
 * new InvalidResponse("duplicate Content-Length with different values")
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export class InvalidResponse extends Error {
  constructor(readonly reason: string) {
    super(`invalid upstream response: ${reason}`)
  }
}

enum State {
  Idle,
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done
}

const headEnd = Buffer.from("\r\n\r\n", "latin1")
const lineEnd = Buffer.from("\r\n", "latin1")
/** A header name: RFC 9110 token characters. */
const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** The same as a lookup table by character code (1: a token character). */
const tokenChars = new Uint8Array(256)
for (let c = 0; c < 256; c++) if (tokenName.test(String.fromCharCode(c))) tokenChars[c] = 1
/**
 * What a header value may hold, by character code (1: allowed): tab, space, visible ASCII and
 * obs-text. Controls, DEL and a CR or LF inside a line (a bare one) are not.
 */
const valueChars = new Uint8Array(256)
for (let c = 0; c < 256; c++) if (c === 9 || (c >= 32 && c !== 127)) valueChars[c] = 1
const isSpace = (c: number) => c === 32 || c === 9
const statusLine = /^HTTP\/1\.([01]) ([1-9][0-9][0-9])(?: ([\t\x20-\x7e\x80-\xff]*))?$/
const digits = /^[0-9]{1,15}$/
const chunkSizeLine = /^([0-9A-Fa-f]{1,12})[\t ]*(?:;[\t\x20-\x7e\x80-\xff]*)?$/

/**
 * The default bound of a response head (and of a chunk size line or trailer block): 64 KiB.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultMaxHeadBytes = 64 * 1024

/**
 * One connection's response parser: {@link ResponseParser.expect} before each response, then
 * {@link ResponseParser.feed} with every chunk read and {@link ResponseParser.close} at end of
 * stream. Each returns an {@link InvalidResponse} instead of throwing; after one, the connection
 * must be dropped.
 *
 * @example
 * ```ts
 * import { ResponseParser } from "@ipos/auth-proxy"
 * const parser = new ResponseParser({ onHead: console.log, onBody: console.log, onEnd: console.log })
 * parser.expect("GET")
 * parser.feed(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")) // undefined: head, "hi", end
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export class ResponseParser {
  private state = State.Idle
  private head = false
  /** Bytes of a head or a line not complete yet. */
  private pending: Buffer | undefined = undefined
  private remaining = 0
  private keepAlive = true
  private trailerBytes = 0
  /** Set by {@link stop}: the current `feed` returns at once. */
  private stopped = false
  /** The `timeout` of a `Keep-Alive` response header, in seconds (0 when none was given). */
  keepAliveHint = 0

  constructor(
    private readonly events: ResponseEvents,
    private readonly maxHeadBytes = defaultMaxHeadBytes
  ) {}

  /** True between {@link expect} and the end of that response. */
  get busy(): boolean {
    return this.state !== State.Idle && this.state !== State.Done
  }

  /** True once any byte of the current response was read. */
  get started(): boolean {
    return this.state !== State.Head || this.pending !== undefined
  }

  /** Expects the response to a request with `method` (a `HEAD` response has no body). */
  expect(method: string): void {
    this.state = State.Head
    this.head = method === "HEAD"
    this.pending = undefined
    this.keepAlive = true
    this.stopped = false
    this.keepAliveHint = 0
  }

  /** Stops the `feed` under way (its consumer went away); {@link expect} starts afresh. */
  stop(): void {
    this.stopped = true
    this.state = State.Idle
  }

  /** Parses `chunk`; bytes outside an expected response are invalid. */
  feed(chunk: Buffer): InvalidResponse | undefined {
    this.stopped = false
    let at = 0
    const end = chunk.length
    while (at < end && !this.stopped) {
      switch (this.state) {
        case State.Idle:
        case State.Done:
          return new InvalidResponse("data outside a response")
        case State.Head: {
          const next = this.readHead(chunk, at)
          if (next instanceof InvalidResponse) return next
          at = next
          break
        }
        case State.Length: {
          const take = Math.min(this.remaining, end - at)
          this.remaining -= take
          const slice = take === end && at === 0 ? chunk : chunk.subarray(at, at + take)
          at += take
          if (this.remaining === 0) this.bodyThenEnd(slice)
          else this.events.onBody(slice)
          break
        }
        case State.UntilClose: {
          this.events.onBody(at === 0 ? chunk : chunk.subarray(at))
          at = end
          break
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, end - at)
          this.remaining -= take
          this.events.onBody(chunk.subarray(at, at + take))
          at += take
          if (this.remaining === 0) this.state = State.ChunkDataEnd
          break
        }
        default: {
          const next = this.readLine(chunk, at)
          if (next instanceof InvalidResponse) return next
          at = next
        }
      }
    }
    return undefined
  }

  /** The stream ended: completes a read-until-close body; mid-message it is a truncated response. */
  close(): InvalidResponse | undefined {
    if (this.state === State.UntilClose) {
      this.state = State.Done
      this.events.onEnd(false)
      return undefined
    }
    if (this.busy) return new InvalidResponse("the upstream closed the connection before the response was complete")
    return undefined
  }

  private bodyThenEnd(slice: Buffer): void {
    if (slice.length > 0) this.events.onBody(slice)
    if (this.stopped) return
    this.state = State.Done
    this.events.onEnd(this.keepAlive)
  }

  /** Finds the end of the head from `at`; parses it when whole. */
  private readHead(chunk: Buffer, at: number): number | InvalidResponse {
    let buffer = chunk
    let from = at
    let searchFrom = at
    if (this.pending !== undefined) {
      searchFrom = Math.max(0, this.pending.length - 3)
      buffer = Buffer.concat([this.pending, at === 0 ? chunk : chunk.subarray(at)])
      from = 0
    }
    const found = buffer.indexOf(headEnd, searchFrom)
    if (found === -1) {
      if (buffer.length - from > this.maxHeadBytes) return new InvalidResponse("response head too large")
      this.pending = from === 0 ? buffer : buffer.subarray(from)
      // The bytes are held now, not re-read from `chunk`.
      return chunk.length
    }
    if (found - from > this.maxHeadBytes) return new InvalidResponse("response head too large")
    const consumed = found + 4 - (buffer === chunk ? 0 : (this.pending?.length ?? 0))
    this.pending = undefined
    const error = this.parseHead(buffer.toString("latin1", from, found))
    if (error !== undefined) return error
    return buffer === chunk ? found + 4 : at + consumed
  }

  private parseHead(text: string): InvalidResponse | undefined {
    // Each line by index, every character checked once by table: no split, no regular expression
    // over the head. Lines end at CRLF, so a bare CR or LF is a control inside a line.
    let end = text.indexOf("\r\n")
    if (end === -1) end = text.length
    const status = statusLine.exec(end === text.length ? text : text.slice(0, end))
    if (status === null) return new InvalidResponse("malformed status line")
    const code = Number(status[2])
    const raw: Array<string> = []
    let length: string | undefined
    let chunked = false
    let close = status[1] === "0"
    let at = end + 2
    while (at < text.length) {
      end = text.indexOf("\r\n", at)
      if (end === -1) end = text.length
      const colon = text.indexOf(":", at)
      if (colon <= at || colon > end) return new InvalidResponse("malformed header line")
      for (let i = at; i < colon; i++)
        if (tokenChars[text.charCodeAt(i)] !== 1) return new InvalidResponse("malformed header name")
      // The value without its surrounding spaces and tabs, every character allowed.
      let from = colon + 1
      let to = from
      for (let i = from; i < end; i++) {
        const c = text.charCodeAt(i)
        if (valueChars[c] !== 1) return new InvalidResponse("malformed header value")
        if (isSpace(c)) {
          if (from === i) from = i + 1
        } else to = i + 1
      }
      if (to < from) to = from
      const name = text.slice(at, colon)
      const value = text.slice(from, to)
      at = end + 2
      raw.push(name, value)
      switch (name.length) {
        case 14:
          if (name.toLowerCase() === "content-length") {
            // Repeated (or a list) only with one value, else the framing is ambiguous.
            for (const part of digits.test(value) ? [value] : value.split(",")) {
              const v = part.trim()
              if (!digits.test(v)) return new InvalidResponse("malformed Content-Length")
              if (length !== undefined && Number(length) !== Number(v))
                return new InvalidResponse("duplicate Content-Length with different values")
              length = v
            }
          }
          break
        case 17:
          if (name.toLowerCase() === "transfer-encoding") {
            if (chunked || value.toLowerCase() !== "chunked")
              return new InvalidResponse("unsupported Transfer-Encoding")
            chunked = true
          }
          break
        case 10:
          if (name.toLowerCase() === "connection") {
            const lower = value.toLowerCase()
            for (const part of lower === "keep-alive" || lower === "close" ? [lower] : lower.split(",")) {
              const option = part.trim()
              if (option === "close") close = true
              else if (option === "keep-alive" && status[1] === "0") close = false
            }
          } else if (name.toLowerCase() === "keep-alive") {
            const hint = /(?:^|[,\s])timeout=(\d+)/i.exec(value)
            if (hint !== null) this.keepAliveHint = Number(hint[1])
          }
          break
      }
    }
    if (code < 200) {
      // An interim answer: the final one follows (101 would switch protocols, never asked for).
      if (code === 101) return new InvalidResponse("unexpected 101 Switching Protocols")
      this.state = State.Head
      return undefined
    }
    if (chunked && length !== undefined) return new InvalidResponse("both Content-Length and Transfer-Encoding")
    this.keepAlive = !close
    this.events.onHead(code, status[3] ?? "", raw)
    if (this.stopped) return undefined
    if (this.head || code === 204 || code === 304) return this.endEmpty()
    if (chunked) {
      this.state = State.ChunkSize
      this.trailerBytes = 0
    } else if (length !== undefined) {
      this.remaining = Number(length)
      if (this.remaining === 0) return this.endEmpty()
      this.state = State.Length
    } else {
      this.keepAlive = false
      this.state = State.UntilClose
    }
    return undefined
  }

  private endEmpty(): undefined {
    this.state = State.Done
    this.events.onEnd(this.keepAlive)
    return undefined
  }

  /** Reads one line of chunked framing (a size, the CRLF after data, a trailer) from `at`. */
  private readLine(chunk: Buffer, at: number): number | InvalidResponse {
    let buffer = chunk
    let from = at
    if (this.pending !== undefined) {
      buffer = Buffer.concat([this.pending, chunk.subarray(at)])
      from = 0
    }
    const found = buffer.indexOf(lineEnd, Math.max(from, this.pending === undefined ? from : this.pending.length - 1))
    if (found === -1) {
      if (buffer.length - from > this.maxHeadBytes) return new InvalidResponse("chunk framing line too long")
      this.pending = from === 0 ? buffer : buffer.subarray(from)
      return chunk.length
    }
    const held = this.pending?.length ?? 0
    this.pending = undefined
    const next = buffer === chunk ? found + 2 : at + found + 2 - held
    const line = buffer.toString("latin1", from, found)
    switch (this.state) {
      case State.ChunkSize: {
        const size = chunkSizeLine.exec(line)
        if (size === null) return new InvalidResponse("malformed chunk size")
        this.remaining = Number.parseInt(size[1]!, 16)
        this.state = this.remaining === 0 ? State.Trailers : State.ChunkData
        return next
      }
      case State.ChunkDataEnd:
        if (line.length !== 0) return new InvalidResponse("missing CRLF after chunk data")
        this.state = State.ChunkSize
        return next
      default: {
        // Trailers: read to the empty line, bounded, and dropped.
        if (line.length === 0) {
          this.state = State.Done
          this.events.onEnd(this.keepAlive)
          return next
        }
        this.trailerBytes += line.length + 2
        if (this.trailerBytes > this.maxHeadBytes) return new InvalidResponse("trailers too large")
        const colon = line.indexOf(":")
        if (colon <= 0 || !tokenName.test(line.slice(0, colon))) return new InvalidResponse("malformed trailer")
        return next
      }
    }
  }
}
