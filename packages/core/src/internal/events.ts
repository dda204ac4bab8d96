/**
 * The fan-out of token events: a set of listeners, and readers with a sliding buffer each. It
 * replaces Effect's `PubSub` (and the `Stream` over it) on the browser path: the Promise facade's
 * `onEvent` and `events` use it directly; `TokenManager.events` builds its `Stream` on it.
 *
 * A reader keeps at most {@link readerBufferSize} unread events, dropping the oldest (a sliding
 * buffer, as the `PubSub.sliding(1024)` it replaces): a slow reader never slows the manager.
 *
 * @internal
 */
import type { TokenEvent } from "../TokenEvents.js"

/** Unread events a reader keeps before it drops the oldest. */
export const readerBufferSize = 1024

/** Where events go. */
export interface EventHub {
  /** Hands an event to every listener, in the order they subscribed; a listener that throws is ignored. */
  readonly emit: (event: TokenEvent) => void
  /**
   * Adds a listener; returns the function that removes it. `onClose` runs once when the hub is
   * closed (at once when it already is), for readers that must end.
   */
  readonly subscribe: (listener: (event: TokenEvent) => void, onClose?: () => void) => () => void
  /** Events as an async iterable: each iteration is a reader of its own, ending when the hub closes. */
  readonly iterable: AsyncIterable<TokenEvent>
  /** Ends every reader. Listeners without `onClose` stay (a closed manager emits nothing more). */
  readonly close: () => void
}

interface Entry {
  readonly listener: (event: TokenEvent) => void
  readonly onClose: (() => void) | undefined
}

/** A new hub. */
export const makeEventHub = (): EventHub => {
  const entries = new Set<Entry>()
  let closed = false

  const subscribe = (listener: (event: TokenEvent) => void, onClose?: () => void): (() => void) => {
    if (closed && onClose !== undefined) {
      onClose()
      return () => {}
    }
    const entry: Entry = { listener, onClose }
    entries.add(entry)
    return () => {
      entries.delete(entry)
    }
  }

  const reader = (): AsyncIterator<TokenEvent> => {
    const buffer: Array<TokenEvent> = []
    let ended = false
    let waiting: ((result: IteratorResult<TokenEvent>) => void) | undefined
    const settle = (result: IteratorResult<TokenEvent>) => {
      const resolve = waiting
      waiting = undefined
      resolve?.(result)
    }
    const end = () => {
      ended = true
      settle({ done: true, value: undefined })
    }
    const unsubscribe = subscribe((event) => {
      if (waiting !== undefined) return settle({ done: false, value: event })
      buffer.push(event)
      if (buffer.length > readerBufferSize) buffer.shift()
    }, end)
    const finish = (): Promise<IteratorResult<TokenEvent>> => {
      unsubscribe()
      buffer.length = 0
      end()
      return Promise.resolve({ done: true, value: undefined })
    }
    return {
      next: () => {
        const event = buffer.shift()
        if (event !== undefined) return Promise.resolve({ done: false, value: event })
        if (ended) return Promise.resolve({ done: true, value: undefined })
        return new Promise((resolve) => {
          waiting = resolve
        })
      },
      return: finish
    }
  }

  return {
    emit: (event) => {
      for (const { listener } of entries) {
        try {
          listener(event)
        } catch {
          // A listener's bug must not break the manager.
        }
      }
    },
    subscribe,
    iterable: { [Symbol.asyncIterator]: reader },
    close: () => {
      if (closed) return
      closed = true
      for (const entry of entries) {
        if (entry.onClose === undefined) continue
        entries.delete(entry)
        entry.onClose()
      }
    }
  }
}
