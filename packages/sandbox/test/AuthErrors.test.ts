import { namedExamples } from "@ipos/testing"
import { describe, expect, it } from "vitest"
import { authError, authErrorMessages, isAuthErrorCode } from "../src/AuthErrors.js"

describe("AuthErrors", () => {
  const documented = namedExamples().filter((e) => e.name.startsWith("AUTH_ERR_"))

  it("knows exactly the codes the spec documents", () => {
    expect(Object.keys(authErrorMessages).sort()).toEqual(documented.map((e) => e.name).sort())
  })

  it.each(documented.map((e) => [e.name, e.value] as const))("%s has the spec's message", (code, value) => {
    expect(authError(code as keyof typeof authErrorMessages)).toEqual(value)
  })

  it.each([
    ["AUTH_ERR_013", true],
    ["AUTH_ERR_001", true],
    ["AUTH_ERR_1", false],
    ["AUTH_ERR_0001", false],
    ["auth_err_001", false],
    ["ERR_001", false]
  ] as const)("isAuthErrorCode(%s) is %s", (value, want) => {
    expect(isAuthErrorCode(value)).toBe(want)
  })
})
