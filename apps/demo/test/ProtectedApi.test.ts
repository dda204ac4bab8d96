import { describe, expect, it } from "vitest"
import { decodeEchoAnswer, refusalReason } from "../src/ProtectedApi.js"

describe("decodeEchoAnswer", () => {
  it.each([
    [
      "an answer",
      { method: "POST", path: "/api/v3/iposTransact", claims: { scope: "paymentTokenize" }, token: "never shown" },
      { method: "POST", path: "/api/v3/iposTransact", claims: { scope: "paymentTokenize" } }
    ],
    ["claims that are an array", { method: "POST", path: "/", claims: [] }, undefined],
    ["no method", { path: "/", claims: {} }, undefined],
    ["a refusal", { error: "invalid_token", reason: "revoked" }, undefined]
  ])("%s", (_, body, want) => {
    expect(decodeEchoAnswer(body)).toEqual(want)
  })
})

describe("refusalReason", () => {
  it.each([
    ["a refusal", { error: "invalid_token", reason: "revoked" }, "revoked"],
    ["a refusal without a reason", { error: "invalid_token" }, undefined],
    ["text", "Unauthorized", undefined]
  ])("%s", (_, body, want) => {
    expect(refusalReason(body)).toBe(want)
  })
})
