/**
 * Checks of numeric options (policies, limits) before anything is sent: each value must be a finite
 * number in its range, unknown keys of a policy are refused (a typo must not silently fall back to a
 * default), and `undefined` means "the default". Numbers are echoed in the reason: they are never
 * secrets, and the user needs to see which value was refused.
 *
 * @internal
 */
import * as Result from "effect/Result"
import { ValidationError } from "../ValidationError.js"

/** The range a number must lie in. */
export interface NumberRule {
  readonly min: number
  /** `min` itself is refused. */
  readonly minExclusive?: boolean
  readonly max: number
  /** `max` itself is refused. */
  readonly maxExclusive?: boolean
  readonly integer?: boolean
  /** `Infinity` is accepted too: an upper bound that is "no bound" is safe where others bound it. */
  readonly orInfinity?: boolean
}

/** A day: the upper bound of every duration option (no retry or window sensibly lasts longer). */
export const MAX_DURATION_MS = 86_400_000

/** Durations in ms: 0 … 24 h. */
export const durationMs: NumberRule = { min: 0, max: MAX_DURATION_MS }
/** Upper bounds of durations: 0 … 24 h, or `Infinity` (no bound). */
export const durationCapMs: NumberRule = { ...durationMs, orInfinity: true }
/** Shares of a whole: 0 … 1. */
export const share: NumberRule = { min: 0, max: 1 }

const describe = (rule: NumberRule): string => {
  const kind = rule.integer === true ? "a whole number" : "a number"
  const low = rule.minExclusive === true ? `greater than ${rule.min}` : `from ${rule.min}`
  const high = rule.maxExclusive === true ? `less than ${rule.max}` : `${rule.max}`
  const range =
    rule.minExclusive === true || rule.maxExclusive === true
      ? `${kind} ${low} and ${rule.maxExclusive === true ? high : `at most ${high}`}`
      : `${kind} ${low} to ${high}`
  return rule.orInfinity === true ? `${range}, or Infinity` : range
}

const shown = (value: unknown): string => (typeof value === "number" ? String(value) : `a ${typeof value}`)

/** Checks one number against its rule; `path` names the option (`retry.maxAttempts`). */
export const checkNumber = (path: string, value: unknown, rule: NumberRule): Result.Result<number, ValidationError> => {
  if (rule.orInfinity === true && value === Number.POSITIVE_INFINITY) return Result.succeed(value)
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (rule.integer !== true || Number.isInteger(value)) &&
    (rule.minExclusive === true ? value > rule.min : value >= rule.min) &&
    (rule.maxExclusive === true ? value < rule.max : value <= rule.max)
  return ok
    ? Result.succeed(value as number)
    : Result.fail(
        new ValidationError({ field: "options", reason: `${path} must be ${describe(rule)} (got ${shown(value)})` })
      )
}

/** Checks an optional number: `undefined` gives `fallback`. */
export const optionalNumber = (
  path: string,
  value: unknown,
  rule: NumberRule,
  fallback: number
): Result.Result<number, ValidationError> =>
  value === undefined ? Result.succeed(fallback) : checkNumber(path, value, rule)

/**
 * Merges a partial policy of numbers over its defaults, checking every value: the result is a
 * complete policy of which each number lies in its rule's range.
 */
export const resolvePolicy = <P extends { readonly [K in keyof P]: number }>(
  name: string,
  defaults: P,
  rules: { readonly [K in keyof P]: NumberRule },
  input: unknown
): Result.Result<P, ValidationError> => {
  if (input === undefined) return Result.succeed(defaults)
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return Result.fail(new ValidationError({ field: "options", reason: `${name} must be an object` }))
  }
  const record = input as Readonly<Record<string, unknown>>
  const known = Object.keys(rules)
  const unknown = Object.keys(record).find((key) => !known.includes(key))
  if (unknown !== undefined) {
    return Result.fail(
      new ValidationError({
        field: "options",
        // The name is not echoed: validation errors never echo strings (it could be a misplaced secret).
        reason: `${name} has an option that is none of ${known.join(", ")} (name not shown)`
      })
    )
  }
  const resolved: Record<string, number> = {}
  for (const key of known) {
    const value = optionalNumber(`${name}.${key}`, record[key], rules[key as keyof P], defaults[key as keyof P])
    if (Result.isFailure(value)) return Result.fail(value.failure)
    resolved[key] = value.success
  }
  return Result.succeed(resolved as unknown as P)
}

/** Checks a flag: a boolean or `undefined` (the default). */
export const optionalBoolean = (
  path: string,
  value: unknown,
  fallback: boolean
): Result.Result<boolean, ValidationError> =>
  value === undefined
    ? Result.succeed(fallback)
    : typeof value === "boolean"
      ? Result.succeed(value)
      : Result.fail(
          new ValidationError({ field: "options", reason: `${path} must be true or false (got ${shown(value)})` })
        )
