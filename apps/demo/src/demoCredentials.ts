/**
 * The sandbox's demo credentials, preselected in the credentials panel. They are fake fixed strings
 * that only a local sandbox accepts (the sandbox prints them freely); a test checks that they match
 * `demoCredentials` of `@ipos/auth-sandbox`, which cannot be imported here (it loads `node:` modules).
 */
import type { Scope } from "@ipos/auth-core"

/** A credential level of iPOSpays. */
type Level = "merchant" | "iso" | "agentOffice"

/** One demo credential with the scopes its level may ask for. */
export interface DemoCredential {
  readonly level: Level
  readonly label: string
  readonly apiKey: string
  readonly secretKey: string
  readonly scopes: ReadonlyArray<Scope>
}

/**
 * The three demo credentials, merchant first (the page's default).
 *
 * @example
 * ```ts
 * demoCredentials[0].apiKey // "demo-merchant-api-key"
 * ```
 */
export const demoCredentials: ReadonlyArray<DemoCredential> = [
  {
    level: "merchant",
    label: "Merchant",
    apiKey: "demo-merchant-api-key",
    secretKey: "demo-merchant-secret-key",
    scopes: ["PaymentTokenization", "Recurring", "BatchReport"]
  },
  {
    level: "iso",
    label: "ISO",
    apiKey: "demo-iso-api-key",
    secretKey: "demo-iso-secret-key",
    scopes: ["ExternalApi", "PaymentTokenization", "Recurring", "BatchReport"]
  },
  {
    level: "agentOffice",
    label: "Agent Office",
    apiKey: "demo-agent-office-api-key",
    secretKey: "demo-agent-office-secret-key",
    scopes: ["ExternalApi"]
  }
]
