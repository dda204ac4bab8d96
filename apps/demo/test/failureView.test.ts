import { authErrorHints, makeRejection, Unavailable, ValidationError } from "@ipos/auth-core"
import { describe, expect, it } from "vitest"
import { describeFailure, describeSummary } from "../src/failureView.js"

describe("describeFailure", () => {
  it("shows a refusal's code, the vendor's message and the core's hint", () => {
    expect(describeFailure(makeRejection("AUTH_ERR_004", "Invalid Credentials, Please Contact Support Team."))).toEqual(
      {
        title: "AUTH_ERR_004",
        code: "AUTH_ERR_004",
        vendorMessage: "Invalid Credentials, Please Contact Support Team.",
        hint: authErrorHints.AUTH_ERR_004,
        message: "AUTH_ERR_004: Invalid Credentials, Please Contact Support Team."
      }
    )
  })

  it("keeps an undocumented code as it came, without a hint", () => {
    expect(describeFailure(makeRejection("AUTH_ERR_013", "Merchant is not active."))).toMatchObject({
      title: "AUTH_ERR_013",
      vendorMessage: "Merchant is not active.",
      hint: undefined
    })
  })

  it("says that nothing was sent for a local validation error", () => {
    expect(describeFailure(new ValidationError({ field: "expiryMinutes", reason: "must be 30..1440" }))).toEqual({
      title: "ValidationError",
      code: undefined,
      vendorMessage: undefined,
      hint: "The core refused the input before sending anything: fix the field it names.",
      message: "Invalid expiryMinutes: must be 30..1440"
    })
  })

  it("points at the sandbox for a transport failure", () => {
    expect(describeFailure(new Unavailable({ operation: "authenticate", reason: "network error" }))).toMatchObject({
      title: "Unavailable",
      hint: "Is the sandbox running at the URL above? `pnpm demo` starts one; check the outage faults too.",
      message: "iPOSpays authenticate unavailable: network error"
    })
  })

  it("shows anything else as an unexpected error", () => {
    expect(describeFailure(new TypeError("boom"))).toMatchObject({ title: "Unexpected error", message: "boom" })
    expect(describeFailure("plain")).toMatchObject({ title: "Unexpected error", message: "plain" })
  })
})

describe("describeSummary", () => {
  it("splits a summary's message into code and vendor message", () => {
    expect(
      describeSummary({
        _tag: "InvalidScope",
        kind: "rejected",
        code: "AUTH_ERR_005",
        retryable: false,
        message: "AUTH_ERR_005: Invalid scope provided. Please use a valid scope."
      })
    ).toEqual({
      title: "AUTH_ERR_005",
      code: "AUTH_ERR_005",
      vendorMessage: "Invalid scope provided. Please use a valid scope.",
      hint: authErrorHints.AUTH_ERR_005,
      message: "AUTH_ERR_005: Invalid scope provided. Please use a valid scope."
    })
  })

  it("describes a transport failure by its tag", () => {
    expect(
      describeSummary({
        _tag: "Timeout",
        kind: "unavailable",
        retryable: true,
        message: "iPOSpays refresh timed out after 10000 ms"
      })
    ).toMatchObject({ title: "Timeout", code: undefined, vendorMessage: undefined })
  })
})
