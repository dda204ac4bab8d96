/**
 * From a token's `scope` claim (an internal name) back to the public scope it stands for, for the
 * `--json` output of `refresh`, whose request names no scope. The table is the sandbox's: only
 * `paymentTokenize` is attested by the vendor, the others follow its pattern.
 */
import { internalScopeNames } from "@ipos/auth-sandbox"

const publicNames: ReadonlyMap<string, string> = new Map(
  Object.entries(internalScopeNames).map(([scope, internal]) => [internal, scope])
)

/**
 * The public scope for a claim's internal name; the claim itself when it is not a known name.
 *
 * @example
 * ```ts
 * publicScopeName("paymentTokenize") // "PaymentTokenization"
 * publicScopeName("somethingNew")    // "somethingNew"
 * ```
 */
export const publicScopeName = (claim: string | undefined): string | undefined =>
  claim === undefined ? undefined : (publicNames.get(claim) ?? claim)
