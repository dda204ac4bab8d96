import { describe, expect, it } from "@effect/vitest"
import { exitCodeOf, failureKind, isAuthFailure, summarize } from "../src/Failure.js"
import { ManagerClosed } from "../src/ManagerClosed.js"

describe("ManagerClosed", () => {
  it("is an unavailable, non-retryable failure with one safe line", () => {
    const error = new ManagerClosed()
    expect(error._tag).toBe("ManagerClosed")
    expect(error.message).toBe("the token manager is closed")
    expect(failureKind(error)).toBe("unavailable")
    expect(exitCodeOf(error)).toBe(4)
    expect(isAuthFailure(error)).toBe(true)
    expect(summarize(error)).toEqual({
      _tag: "ManagerClosed",
      kind: "unavailable",
      retryable: false,
      message: "the token manager is closed"
    })
  })
})
