import { Readable } from "node:stream"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { readStdin, stdinLimitBytes } from "../src/Stdin.js"

// stdin holds one token: read it whole, but never more than 64 KiB of anything.
const tooLarge = {
  _tag: "UsageFailure",
  message: "stdin holds more than 64 KiB: a token is a few KiB; pipe only the token"
}

describe("readStdin", () => {
  it("reads what is piped, trimmed", async () => {
    expect(await readStdin(Readable.from([Buffer.from("  aaa.bbb"), Buffer.from(".ccc\n")]))).toBe("aaa.bbb.ccc")
  })

  it("does not wait on a terminal", async () => {
    expect(await readStdin(Object.assign(Readable.from([]), { isTTY: true }))).toBeUndefined()
  })

  it("caps stdin at 64 KiB", () => {
    expect(stdinLimitBytes).toBe(65_536)
  })

  it("accepts exactly the limit and refuses one byte more", async () => {
    const token = "aaa.bbb.ccc"
    const padded = (size: number) => Readable.from([Buffer.from(token), Buffer.alloc(size - token.length, " ")])
    expect(await readStdin(padded(stdinLimitBytes))).toBe(token)
    expect(await readStdin(padded(stdinLimitBytes + 1))).toEqual(tooLarge)
  })

  it("stops reading an endless input soon after the limit", async () => {
    let pulled = 0
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled++
          yield Buffer.alloc(1024, "x")
        }
      })()
    )
    expect(await readStdin(endless)).toEqual(tooLarge)
    // 65 chunks cross the limit; the stream may have buffered a few more ahead of the reader.
    expect(pulled).toBeLessThan(100)
  })

  it("refuses exactly the inputs larger than the limit, however they are chunked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 600 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 4000 }),
        async (sizes, limit) => {
          const total = sizes.reduce((a, b) => a + b, 0)
          const result = await readStdin(Readable.from(sizes.map((size) => Buffer.alloc(size, "a"))), limit)
          if (total > limit) expect(result).toMatchObject({ _tag: "UsageFailure" })
          else expect(result).toBe("a".repeat(total))
        }
      ),
      { numRuns: 200 }
    )
  })
})
