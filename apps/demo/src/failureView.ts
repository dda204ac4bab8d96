/**
 * What the error card shows for a failure from the core: for an `AUTH_ERR_*` refusal its code, the
 * vendor's message and the core's hint; for anything else its kind and one safe line. The core's
 * messages are already scrubbed of keys and tokens, so they can be shown as they are.
 */
import { type FailureSummary, hintFor, isAuthFailure, isAuthRejection } from "@ipos/auth-core"

/** The error card's content. */
export interface FailureView {
  /** A short heading, e.g. `AUTH_ERR_004` or `Unavailable`. */
  readonly title: string
  readonly code: string | undefined
  /** The vendor's message, for a refusal. */
  readonly vendorMessage: string | undefined
  /** What to do about it. */
  readonly hint: string | undefined
  /** The core's one-line message. */
  readonly message: string
}

// Failures that are no refusal say what to check on this page.
const pageHints: Readonly<Record<string, string>> = {
  validation: "The core refused the input before sending anything: fix the field it names.",
  unavailable: "Is the sandbox running at the URL above? `pnpm demo` starts one; check the outage faults too.",
  malformed: "The answer was not a valid token response (a proxy page, a truncated body): try again."
}

/**
 * Describes a rejection of `getToken()` (the core's typed error) or anything else thrown.
 *
 * @example
 * ```ts
 * import { makeRejection } from "@ipos/auth-core"
 * describeFailure(makeRejection("AUTH_ERR_004", "Invalid Credentials, Please Contact Support Team."))
 * // { title: "AUTH_ERR_004", code: "AUTH_ERR_004", vendorMessage: "Invalid Credentials, …", hint: "Check the API key …", … }
 * ```
 */
export const describeFailure = (error: unknown): FailureView => {
  if (isAuthRejection(error)) {
    return {
      title: error.code,
      code: error.code,
      vendorMessage: error.serverMessage === "" ? undefined : error.serverMessage,
      hint: hintFor(error.code),
      message: error.message
    }
  }
  if (isAuthFailure(error)) {
    return {
      title: error._tag,
      code: undefined,
      vendorMessage: undefined,
      hint: pageHints[error.kind],
      message: error.message
    }
  }
  return {
    title: "Unexpected error",
    code: undefined,
    vendorMessage: undefined,
    hint: undefined,
    message: error instanceof Error ? error.message : String(error)
  }
}

/**
 * Describes a failure summary carried by an event (`RefreshFailed`, `AcquisitionFailed`).
 *
 * @example
 * ```ts
 * describeSummary({ _tag: "Unavailable", kind: "unavailable", retryable: true, message: "iPOSpays refresh unavailable: HTTP 503" })
 * // { title: "Unavailable", code: undefined, vendorMessage: undefined, hint: "Is the sandbox running …", message: "iPOSpays refresh unavailable: HTTP 503" }
 * ```
 */
export const describeSummary = (summary: FailureSummary): FailureView => {
  const code = summary.code
  if (code !== undefined) {
    const prefix = `${code}: `
    return {
      title: code,
      code,
      vendorMessage: summary.message.startsWith(prefix) ? summary.message.slice(prefix.length) : undefined,
      hint: hintFor(code),
      message: summary.message
    }
  }
  return {
    title: summary._tag,
    code: undefined,
    vendorMessage: undefined,
    hint: pageHints[summary.kind],
    message: summary.message
  }
}
