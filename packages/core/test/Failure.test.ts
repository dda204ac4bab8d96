import { describe, expect, it } from "@effect/vitest"
import { makeRejection } from "../src/AuthError.js"
import {
  type AuthFailure,
  exitCodeOf,
  type FailureKind,
  failureKind,
  isAuthFailure,
  summarize
} from "../src/Failure.js"
import { ManagerClosed } from "../src/ManagerClosed.js"
import { MalformedResponse, RateLimited, Timeout, Unavailable } from "../src/TransportError.js"
import { ValidationError } from "../src/ValidationError.js"

const cases: ReadonlyArray<readonly [string, AuthFailure, FailureKind, 2 | 3 | 4 | 5, boolean]> = [
  ["validation", new ValidationError({ field: "scope", reason: "x" }), "validation", 2, false],
  ["documented refusal", makeRejection("AUTH_ERR_004", "Invalid Credentials"), "rejected", 3, false],
  ["unknown refusal", makeRejection("AUTH_ERR_042", "?"), "rejected", 3, false],
  ["timeout", new Timeout({ operation: "authenticate", timeoutMs: 10 }), "unavailable", 4, true],
  ["5xx", new Unavailable({ operation: "refresh", status: 503, reason: "HTTP 503" }), "unavailable", 4, true],
  ["reset", new Unavailable({ operation: "refresh", reason: "ECONNRESET" }), "unavailable", 4, true],
  ["429", new RateLimited({ operation: "authenticate", retryAfterMs: 1000 }), "unavailable", 4, true],
  ["a closed manager", new ManagerClosed(), "unavailable", 4, false],
  [
    "malformed",
    new MalformedResponse({ operation: "authenticate", status: 200, reason: "empty body", excerpt: "" }),
    "malformed",
    5,
    false
  ]
]

describe("Failure", () => {
  it.each(cases)("classifies %s", (_, error, kind, exitCode, retryable) => {
    expect(failureKind(error)).toBe(kind)
    expect(exitCodeOf(error)).toBe(exitCode)
    expect(error.retryable).toBe(retryable)
    expect(isAuthFailure(error)).toBe(true)
    expect(error.message).not.toContain("\n")
  })

  it("summarizes as plain data", () => {
    expect(summarize(makeRejection("AUTH_ERR_005", "Invalid scope provided.", 200))).toEqual({
      _tag: "InvalidScope",
      kind: "rejected",
      code: "AUTH_ERR_005",
      status: 200,
      retryable: false,
      message: "AUTH_ERR_005: Invalid scope provided."
    })
    expect(summarize(new Timeout({ operation: "refresh", timeoutMs: 5000 }))).toEqual({
      _tag: "Timeout",
      kind: "unavailable",
      retryable: true,
      message: "iPOSpays refresh timed out after 5000 ms"
    })
  })

  it("gives one-line messages", () => {
    expect(new Unavailable({ operation: "authenticate", reason: "ECONNREFUSED" }).message).toBe(
      "iPOSpays authenticate unavailable: ECONNREFUSED"
    )
    expect(new RateLimited({ operation: "refresh" }).message).toBe("iPOSpays refresh rate limited (HTTP 429)")
    expect(
      new RateLimited({ operation: "refresh", retryAfterMs: 2000, origin: "https://auth.ipospays.tech", attempts: 2 })
        .message
    ).toBe(
      "iPOSpays refresh rate limited (HTTP 429), retry after 2000 ms (origin https://auth.ipospays.tech; 2 attempts)"
    )
    expect(new Timeout({ operation: "authenticate", timeoutMs: 10_000, attempts: 1, elapsedMs: 10_000 }).message).toBe(
      "iPOSpays authenticate timed out after 10000 ms"
    )
    expect(
      new MalformedResponse({ operation: "refresh", status: 502, reason: "a body that is not JSON", excerpt: "<html>" })
        .message
    ).toBe("iPOSpays refresh sent an unexpected response (HTTP 502): a body that is not JSON")
    expect(new ValidationError({ field: "IPOS_SCOPE", reason: "is wrong" }).message).toBe(
      "Invalid IPOS_SCOPE: is wrong"
    )
  })

  it("does not claim foreign values", () => {
    expect(isAuthFailure(new Error("boom"))).toBe(false)
    expect(isAuthFailure({ _tag: "SomethingElse" })).toBe(false)
    expect(isAuthFailure(undefined)).toBe(false)
  })
})
