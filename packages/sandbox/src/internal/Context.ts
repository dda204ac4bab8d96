/** Everything a route may use: settings, the signing key and the mutable state of one sandbox. */
import type { Counters } from "../Counters.js"
import type { FaultState } from "../Faults.js"
import type { SigningKey } from "../Jwt.js"
import type { Settings } from "./resolveOptions.js"
import type { TokenRegistry } from "./TokenRegistry.js"

/** The state of one running sandbox, shared by its routes and its programmatic API. */
export interface Context {
  readonly settings: Settings
  readonly key: SigningKey
  readonly faults: FaultState
  readonly counters: Counters
  readonly tokens: TokenRegistry
  /** Waits `ms`; resolves `false` instead when the sandbox is stopping, so nothing waits on a closed server. */
  readonly sleep: (ms: number) => Promise<boolean>
  /** Back to the state right after start: initial faults, zero counters, no issued tokens. */
  readonly reset: () => void
}
