/** iPOSpays' internal scope names (the JWT's `scope` claim) and the public scopes they stand for. */

// Only `paymentTokenize` appears in the vendor's samples; the others follow the sandbox's naming.
const publicNames: Readonly<Record<string, string>> = {
  paymentTokenize: "PaymentTokenization",
  recurring: "Recurring",
  batchReport: "BatchReport",
  externalApi: "ExternalApi"
}

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
  claim === undefined ? undefined : (publicNames[claim] ?? claim)
