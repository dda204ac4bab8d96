/**
 * The tokens a sandbox has issued, by `uniqueId`: what a refresh needs (scope, lifetime) and
 * whether the token was revoked. A refresh keeps the `uniqueId`, so one entry covers every
 * generation of a token, and revoking it revokes them all.
 */
import type { InternalScopeName } from "../Scopes.js"

/** What the sandbox remembers of an issued token. */
export interface IssuedToken {
  readonly scope: InternalScopeName
  /** The lifetime that was asked for (minutes × 60): a refresh keeps it unless a lifetime override is active then. */
  readonly lifetimeSeconds: number
  readonly revoked: boolean
}

/**
 * Bounded so that a long-running sandbox minting in a loop does not grow without limit; the
 * least recently minted or refreshed entries go first (a token kept alive by refreshes stays),
 * and a forgotten token is refused like a revoked one.
 */
export class TokenRegistry {
  private readonly issued = new Map<string, IssuedToken>()

  constructor(private readonly capacity = 10_000) {}

  /** Remembers a newly minted token. */
  issue(uniqueId: string, scope: InternalScopeName, lifetimeSeconds: number): void {
    this.issued.set(uniqueId, { scope, lifetimeSeconds, revoked: false })
    if (this.issued.size > this.capacity) {
      const oldest = this.issued.keys().next()
      if (oldest.done !== true) this.issued.delete(oldest.value)
    }
  }

  /** Marks a token as just refreshed, so that it is the last one to be forgotten. */
  refreshed(uniqueId: string): void {
    const entry = this.issued.get(uniqueId)
    if (entry === undefined) return
    // A Map iterates in insertion order: re-inserting moves the entry to the newest end.
    this.issued.delete(uniqueId)
    this.issued.set(uniqueId, entry)
  }

  /** The entry of a `uniqueId`, if this sandbox issued it and still remembers it. */
  lookup(uniqueId: string): IssuedToken | undefined {
    return this.issued.get(uniqueId)
  }

  /** Revokes one token (every generation of it) or, without an id, every token issued so far; returns how many were newly revoked. */
  revoke(uniqueId?: string): number {
    let count = 0
    for (const [id, entry] of this.issued) {
      if ((uniqueId === undefined || id === uniqueId) && !entry.revoked) {
        this.issued.set(id, { ...entry, revoked: true })
        count += 1
      }
    }
    return count
  }

  /** Forgets every token. */
  clear(): void {
    this.issued.clear()
  }
}
