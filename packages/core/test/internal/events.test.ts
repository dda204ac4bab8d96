import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeEventHub, readerBufferSize } from "../../src/internal/events.js"
import type { TokenEvent } from "../../src/TokenEvents.js"

const event = (n: number): TokenEvent => ({
  _tag: "Invalidated",
  scope: "PaymentTokenization",
  credentialsId: "c",
  at: n,
  fingerprint: `…${n}`
})

const drain = async (iterator: AsyncIterator<TokenEvent>, n: number): Promise<Array<number>> => {
  const seen: Array<number> = []
  for (let i = 0; i < n; i++) {
    const step = await iterator.next()
    if (step.done) break
    seen.push(step.value.at)
  }
  return seen
}

describe("makeEventHub", () => {
  it("hands each event to every listener in subscription order; a throwing listener is ignored", () => {
    const hub = makeEventHub()
    const seen: Array<string> = []
    hub.subscribe((e) => seen.push(`a${e.at}`))
    hub.subscribe(() => {
      throw new Error("listener bug")
    })
    const off = hub.subscribe((e) => seen.push(`b${e.at}`))
    hub.emit(event(1))
    off()
    hub.emit(event(2))
    expect(seen).toEqual(["a1", "b1", "a2"])
  })

  it("gives a waiting reader the next event", async () => {
    const hub = makeEventHub()
    const iterator = hub.iterable[Symbol.asyncIterator]()
    const next = iterator.next()
    hub.emit(event(7))
    expect(await next).toEqual({ done: false, value: event(7) })
  })

  it("keeps the last 1,024 unread events of a reader, dropping the oldest", () =>
    fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 * readerBufferSize }), async (n) => {
        const hub = makeEventHub()
        const iterator = hub.iterable[Symbol.asyncIterator]()
        for (let i = 0; i < n; i++) hub.emit(event(i))
        hub.close()
        const kept = Math.min(n, readerBufferSize)
        expect(await drain(iterator, n + 1)).toEqual(Array.from({ length: kept }, (_, i) => n - kept + i))
      }),
      { numRuns: 30 }
    ))

  it("gives each reader its own events, from the moment it starts", async () => {
    const hub = makeEventHub()
    const first = hub.iterable[Symbol.asyncIterator]()
    hub.emit(event(1))
    const second = hub.iterable[Symbol.asyncIterator]()
    hub.emit(event(2))
    expect(await drain(first, 2)).toEqual([1, 2])
    expect(await drain(second, 1)).toEqual([2])
  })

  it("ends readers when closed (a waiting one at once, a later one immediately); listeners stay", async () => {
    const hub = makeEventHub()
    const seen: Array<number> = []
    hub.subscribe((e) => seen.push(e.at))
    const waiting = hub.iterable[Symbol.asyncIterator]().next()
    let closedLate = 0
    hub.close()
    hub.subscribe(
      () => {},
      () => closedLate++
    )
    expect(await waiting).toEqual({ done: true, value: undefined })
    expect(await hub.iterable[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined })
    expect(closedLate).toBe(1)
    hub.emit(event(3))
    expect(seen).toEqual([3])
  })

  it("stops a reader that returns early (break in for await): it receives nothing more", async () => {
    const hub = makeEventHub()
    const seen: Array<number> = []
    const consumer = (async () => {
      for await (const e of hub.iterable) {
        seen.push(e.at)
        if (seen.length === 2) break
      }
    })()
    for (let i = 0; i < 4; i++) {
      hub.emit(event(i))
      await Promise.resolve()
    }
    await consumer
    hub.emit(event(9))
    expect(seen).toEqual([0, 1])
  })
})
