/** The rules of the numeric settings, shared by the options and their variables so that both say the same. */
import { SandboxConfigError } from "../SandboxConfigError.js"
import { got as gotPlain } from "./got.js"

/** Inclusive ranges of the integer settings. */
export const ranges = {
  port: [0, 65_535],
  tokenLifetimeSeconds: [1, 86_400],
  maxBodyBytes: [0, 64 * 1024 * 1024],
  maxHeaderBytes: [1024, 1024 * 1024]
} as const satisfies Record<string, readonly [number, number]>

/**
 * `value` when it is an integer in `[min, max]`; otherwise throws `SandboxConfigError` naming
 * `name` (an option or a variable) and showing `value` through `got`.
 *
 * @example
 * ```ts
 * integerIn("IPOS_SANDBOX_PORT", "x", ranges.port) // throws 'IPOS_SANDBOX_PORT must be an integer from 0 to 65535 (got "x")'
 * ```
 */
export const integerIn = (
  name: string,
  value: unknown,
  [min, max]: readonly [number, number],
  got: (value: unknown) => string = gotPlain
): number => {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new SandboxConfigError(`${name} must be an integer from ${min} to ${max}${got(value)}`)
  }
  return value
}

/**
 * The status of `AuthError` answers: `200`, as the vendor documents, or a 4xx.
 *
 * @example
 * ```ts
 * errorStatusIn("errorStatus", 500) // throws "errorStatus must be 200 or an integer from 400 to 499 (got 500)"
 * ```
 */
export const errorStatusIn = (name: string, value: unknown, got: (value: unknown) => string = gotPlain): number => {
  if (value === 200) return value
  if (typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 499) return value
  throw new SandboxConfigError(`${name} must be 200 or an integer from 400 to 499${got(value)}`)
}
