/** The one error the sandbox throws: a start-up option, an environment variable or a control request is invalid. */

/**
 * Thrown by `startSandbox` and `sandboxOptionsFromEnv` for an invalid option or variable (the
 * message names it, never its value when it may be a secret). The control API answers `400` with
 * the same message. A CLI maps it to its usage exit code.
 *
 * @example
 * ```ts
 * try {
 *   await startSandbox({ errorStatus: 500 })
 * } catch (error) {
 *   if (error instanceof SandboxConfigError) console.error(error.message)
 * }
 * ```
 */
export class SandboxConfigError extends Error {
  override readonly name = "SandboxConfigError"
}
