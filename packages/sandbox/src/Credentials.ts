/**
 * The sandbox's credential table: API key / secret key pairs at the three levels iPOSpays issues
 * (merchant, ISO, Agent Office), each level allowing the scopes the vendor's guide lists.
 */
import { SandboxConfigError } from "./SandboxConfigError.js"
import type { Scope } from "./Scopes.js"

/** The level a credential was issued at; it decides which scopes it may request. */
export type CredentialLevel = "merchant" | "iso" | "agentOffice"

/**
 * The levels, in the order the demo table lists them.
 *
 * @example
 * ```ts
 * credentialLevels.length // 3
 * ```
 */
export const credentialLevels: ReadonlyArray<CredentialLevel> = ["merchant", "iso", "agentOffice"]

/**
 * Scopes allowed per level; any other scope is refused with `AUTH_ERR_005`.
 *
 * @example
 * ```ts
 * allowedScopes.agentOffice // ["ExternalApi"]
 * ```
 */
export const allowedScopes: Readonly<Record<CredentialLevel, ReadonlyArray<Scope>>> = {
  merchant: ["PaymentTokenization", "Recurring", "BatchReport"],
  iso: ["ExternalApi", "PaymentTokenization", "Recurring", "BatchReport"],
  agentOffice: ["ExternalApi"]
}

/** A credential as configured: its level and the two keys. */
export interface CredentialInput {
  readonly level: CredentialLevel
  readonly apiKey: string
  readonly secretKey: string
}

/** A credential the sandbox accepts, with the scopes its level allows (handy for a start-up banner). */
export interface SandboxCredential extends CredentialInput {
  readonly scopes: ReadonlyArray<Scope>
}

/**
 * Builds the credential table from inputs, refusing empty keys, unknown levels and an API key used
 * twice (a lookup by key must be unambiguous). Error messages never contain a key.
 *
 * @example
 * ```ts
 * credentialTable([{ level: "iso", apiKey: "my-iso-key", secretKey: "my-iso-secret" }])[0]?.scopes
 * // ["ExternalApi", "PaymentTokenization", "Recurring", "BatchReport"]
 * ```
 */
export const credentialTable = (inputs: ReadonlyArray<CredentialInput>): ReadonlyArray<SandboxCredential> => {
  if (inputs.length === 0) throw new SandboxConfigError("credentials: at least one credential is required")
  const seen = new Set<string>()
  return inputs.map((input, index) => {
    if (!credentialLevels.includes(input.level)) {
      throw new SandboxConfigError(`credentials[${index}].level must be one of ${credentialLevels.join(", ")}`)
    }
    for (const field of ["apiKey", "secretKey"] as const) {
      const value: unknown = input[field]
      if (typeof value !== "string" || value.length === 0 || value !== value.trim()) {
        throw new SandboxConfigError(
          `credentials[${index}].${field} must be a non-empty string without surrounding spaces`
        )
      }
    }
    if (seen.has(input.apiKey))
      throw new SandboxConfigError(`credentials[${index}].apiKey is used by another credential`)
    seen.add(input.apiKey)
    return { level: input.level, apiKey: input.apiKey, secretKey: input.secretKey, scopes: allowedScopes[input.level] }
  })
}

/**
 * The demo credentials: obviously fake fixed strings, one per level, valid only against a sandbox.
 *
 * @example
 * ```ts
 * const merchant = demoCredentials.find((c) => c.level === "merchant")
 * // { level: "merchant", apiKey: "demo-merchant-api-key", secretKey: "demo-merchant-secret-key", scopes: [...] }
 * ```
 */
export const demoCredentials: ReadonlyArray<SandboxCredential> = credentialTable([
  { level: "merchant", apiKey: "demo-merchant-api-key", secretKey: "demo-merchant-secret-key" },
  { level: "iso", apiKey: "demo-iso-api-key", secretKey: "demo-iso-secret-key" },
  { level: "agentOffice", apiKey: "demo-agent-office-api-key", secretKey: "demo-agent-office-secret-key" }
])
