import { makeRejection, Timeout, ValidationError } from "@ipos/auth-core"
import { describe, expect, it } from "vitest"
import { report, usage } from "../src/Outcome.js"

describe("report", () => {
  it.each([
    [usage("no token given"), { lines: ["ipos-auth: no token given"], exitCode: 2 }],
    [
      new ValidationError({ field: "expiryMinutes", reason: "is not an integer from 30 to 1440" }),
      { lines: ["ipos-auth: Invalid --expiry: is not an integer from 30 to 1440"], exitCode: 2 }
    ],
    [
      new ValidationError({ field: "IPOS_ENV", reason: "must be sandbox or production" }),
      { lines: ["ipos-auth: Invalid IPOS_ENV: must be sandbox or production"], exitCode: 2 }
    ],
    [
      makeRejection("AUTH_ERR_077", "Something new."),
      { lines: ["ipos-auth: AUTH_ERR_077: Something new."], exitCode: 3 }
    ],
    [
      new Timeout({ operation: "authenticate", timeoutMs: 10_000 }),
      { lines: ["ipos-auth: iPOSpays authenticate timed out after 10000 ms"], exitCode: 4 }
    ]
  ] as const)("reports %s", (failure, want) => {
    expect(report(failure)).toEqual(want)
  })

  it("adds the code's hint", () => {
    expect(report(makeRejection("AUTH_ERR_011", "Minimum expiry time cannot be less than 30 minutes.")).lines).toEqual([
      "ipos-auth: AUTH_ERR_011: Minimum expiry time cannot be less than 30 minutes.",
      "hint: jwtTokenExpiryMinutes must be at least 30."
    ])
  })

  it("masks the credentials in use wherever they appear", () => {
    const failure = new ValidationError({ field: "scope", reason: 'is "s3cr3t-value", not a scope' })
    expect(report(failure, ["s3cr3t-value"]).lines).toEqual([
      'ipos-auth: Invalid --scope: is "<redacted>", not a scope'
    ])
  })
})
