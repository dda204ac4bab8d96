/**
 * Token scopes: the four names a caller requests, and the internal names the service writes into a
 * token's `scope` claim (`PaymentTokenization` becomes `paymentTokenize` in the vendor's samples).
 */

/**
 * The scopes of the spec's `Scope` enum, in its order.
 *
 * @example
 * ```ts
 * scopes.includes("Recurring") // true
 * ```
 */
export const scopes = ["PaymentTokenization", "Recurring", "BatchReport", "ExternalApi"] as const

/** A scope a caller may request in the `scope` header. */
export type Scope = (typeof scopes)[number]

/**
 * The `scope` claim written for each requested scope. Only `paymentTokenize` is attested by the
 * vendor's samples; the others follow the same lower-camel pattern.
 *
 * @example
 * ```ts
 * internalScopeNames.PaymentTokenization // "paymentTokenize"
 * ```
 */
export const internalScopeNames = {
  PaymentTokenization: "paymentTokenize",
  Recurring: "recurring",
  BatchReport: "batchReport",
  ExternalApi: "externalApi"
} as const satisfies Record<Scope, string>

/** A `scope` claim value. */
export type InternalScopeName = (typeof internalScopeNames)[Scope]

/**
 * Narrows a header value to a known scope; matching is exact (case-sensitive), as the spec's enum.
 *
 * @example
 * ```ts
 * isScope("recurring") // false
 * ```
 */
export const isScope = (value: string): value is Scope => (scopes as ReadonlyArray<string>).includes(value)
